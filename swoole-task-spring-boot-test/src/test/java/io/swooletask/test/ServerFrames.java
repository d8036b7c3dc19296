package io.swooletask.test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.swooletask.autoconfigure.SwooleServerProperties;
import io.swooletask.server.PackageLengthType;

/**
 * Frames a reply on the server's side as its settings say, written apart from the
 * client's framing so that the tests do not check that code against itself.
 */
final class ServerFrames {

	private ServerFrames() {
	}

	static byte[] frame(SwooleServerProperties properties, byte[] body) {
		if (properties.isOpenEofSplit() || properties.isOpenEofCheck()) {
			byte[] eof = properties.getPackageEof().getBytes(StandardCharsets.UTF_8);
			return ByteBuffer.allocate(body.length + eof.length).put(body).put(eof).array();
		}
		if (properties.isOpenLengthCheck()) {
			return length(properties.getPackageLengthType(), properties.getPackageLengthOffset(),
					properties.getPackageBodyOffset(), body);
		}
		return body;
	}

	static byte[] length(PackageLengthType type, int lengthOffset, int bodyOffset, byte[] body) {
		int header = Math.max(bodyOffset, lengthOffset + type.size());
		int length = (bodyOffset == 0) ? header + body.length : body.length;
		ByteBuffer frame = ByteBuffer.allocate(header + body.length).order(type.order());
		frame.position(lengthOffset);
		switch (type.size()) {
			case 1 -> frame.put((byte) length);
			case 2 -> frame.putShort((short) length);
			default -> frame.putInt(length);
		}
		frame.position(header);
		return frame.put(body).array();
	}

}
