package io.swooletask.test;

import io.swooletask.server.PackageLengthType;
import org.jspecify.annotations.Nullable;

/**
 * How the client cuts its messages into frames and the server's replies out of the byte
 * stream: the client's side of the server's framing settings.
 */
interface MessageFraming {

	/**
	 * The frame that carries a message.
	 * @param message the message
	 * @return the message with its delimiter or header
	 */
	byte[] frame(byte[] message);

	/**
	 * The first whole frame in {@code bytes[from, to)}.
	 * @param bytes the bytes received and not yet taken
	 * @param from where they start
	 * @param to where they end
	 * @return the frame, or {@code null} if the bytes do not hold a whole one yet
	 */
	@Nullable Frame next(byte[] bytes, int from, int to);

	/**
	 * Swoole's default, without framing: a message is sent as it is, and each read is one
	 * reply.
	 * @return raw framing
	 */
	static MessageFraming raw() {
		return new RawFraming();
	}

	/**
	 * {@code open-eof-split}: each message ends with the delimiter.
	 * @param delimiter the delimiter ({@code package-eof})
	 * @return delimiter framing
	 */
	static MessageFraming eof(byte[] delimiter) {
		return new EofFraming(delimiter);
	}

	/**
	 * {@code open-length-check}: each message follows a header with its length.
	 * @param type the length field's type ({@code package-length-type})
	 * @param lengthOffset where the length field starts ({@code package-length-offset})
	 * @param bodyOffset where the message starts, or 0 for a length that counts the whole
	 * frame ({@code package-body-offset})
	 * @return length framing
	 */
	static MessageFraming length(PackageLengthType type, int lengthOffset, int bodyOffset) {
		return new LengthFraming(type, lengthOffset, bodyOffset);
	}

	/**
	 * A frame cut out of the received bytes.
	 *
	 * @param message the message, without delimiter or header
	 * @param length how many received bytes the frame took
	 */
	record Frame(byte[] message, int length) {
	}

}
