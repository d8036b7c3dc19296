package io.swooletask.server.netty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.DelimiterBasedFrameDecoder;
import io.swooletask.server.PackageLengthType;

/**
 * How a connection's byte stream is cut into messages, with Netty's own decoders. Its
 * {@code toString()} says which, for the start-up log.
 */
interface Framing {

	/**
	 * New decoders for one connection, in pipeline order.
	 * @return the decoders, none for raw framing
	 */
	List<ChannelHandler> newDecoders();

	/**
	 * Swoole's default: each read is one message, however the client's writes were cut by
	 * TCP.
	 * @return raw framing
	 */
	static Framing raw() {
		return described("raw (one message per read)", List::of);
	}

	/**
	 * Swoole's {@code open_eof_split}: one message per delimiter, the delimiter stripped.
	 * @param delimiter the delimiter, 1 to 8 bytes
	 * @param maxLength the longest frame, delimiter included; a longer one closes the
	 * connection
	 * @return delimiter framing
	 */
	static Framing eof(byte[] delimiter, int maxLength) {
		// one read-only buffer for all connections; each decoder reads it through a slice
		// of its own
		ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(delimiter.clone()));
		int maxFrameLength = maxLength - delimiter.length;
		return described("eof \"" + escaped(delimiter) + "\", at most " + maxLength + " bytes",
				() -> List.of(new DelimiterBasedFrameDecoder(maxFrameLength, true, true, shared)));
	}

	/**
	 * Swoole's {@code open_length_check}: one message per length-prefixed frame; the
	 * message is the body, without the header.
	 * @param type the type of the length field
	 * @param lengthOffset where the length field starts
	 * @param bodyOffset where the body starts; the frame is this plus the length value
	 * long
	 * @param maxLength the longest frame, header included; a longer one closes the
	 * connection
	 * @return length framing
	 */
	static Framing length(PackageLengthType type, int lengthOffset, int bodyOffset, int maxLength) {
		return described(
				"length " + type + " at " + lengthOffset + ", body at " + bodyOffset + ", at most " + maxLength
						+ " bytes",
				() -> List.of(new SwooleLengthFrameDecoder(type, lengthOffset, bodyOffset, maxLength)));
	}

	private static Framing described(String description, Supplier<List<ChannelHandler>> decoders) {
		return new Framing() {

			@Override
			public List<ChannelHandler> newDecoders() {
				return decoders.get();
			}

			@Override
			public String toString() {
				return description;
			}

		};
	}

	/**
	 * The bytes as a Java string literal would write them, so that no two delimiters read
	 * alike: a backslash and a quote escaped, CR, LF and tab by name, any other byte
	 * outside printable ASCII in hex.
	 */
	private static String escaped(byte[] bytes) {
		StringBuilder escaped = new StringBuilder();
		for (byte b : bytes) {
			switch (b) {
				case '\\' -> escaped.append("\\\\");
				case '"' -> escaped.append("\\\"");
				case '\r' -> escaped.append("\\r");
				case '\n' -> escaped.append("\\n");
				case '\t' -> escaped.append("\\t");
				default -> {
					if (b >= 0x20 && b < 0x7f) {
						escaped.append((char) b);
					}
					else {
						escaped.append(String.format("\\x%02x", b & 0xff));
					}
				}
			}
		}
		return escaped.toString();
	}

}
