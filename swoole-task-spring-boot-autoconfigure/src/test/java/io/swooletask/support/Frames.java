package io.swooletask.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds length-prefixed frames as a Swoole client would, with PHP {@code pack()} codes.
 */
public final class Frames {

	private Frames() {
	}

	/**
	 * The size of a pack code's length field.
	 */
	public static int size(String type) {
		return switch (type) {
			case "c", "C" -> 1;
			case "s", "S", "n", "v" -> 2;
			default -> 4;
		};
	}

	/**
	 * A frame whose header is the length field at offset 0 holding the body length.
	 */
	public static byte[] frame(String type, byte[] body) {
		return header(type, body.length, body);
	}

	/**
	 * A frame with an arbitrary length value, for lying headers.
	 */
	public static byte[] header(String type, long length, byte[] body) {
		int size = size(type);
		ByteOrder order = switch (type) {
			case "n", "N", "c", "C" -> ByteOrder.BIG_ENDIAN;
			default -> ByteOrder.LITTLE_ENDIAN;
		};
		ByteBuffer buffer = ByteBuffer.allocate(size + body.length).order(order);
		switch (size) {
			case 1 -> buffer.put((byte) length);
			case 2 -> buffer.putShort((short) length);
			default -> buffer.putInt((int) length);
		}
		return buffer.put(body).array();
	}

}
