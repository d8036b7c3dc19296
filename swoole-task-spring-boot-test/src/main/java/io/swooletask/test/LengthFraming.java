package io.swooletask.test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import io.swooletask.server.PackageLengthType;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Messages behind a header whose length field is written and read as the server's
 * {@code package-length-type}, {@code package-length-offset} and
 * {@code package-body-offset} say: the length is the body's, or with a body offset of 0
 * the whole frame's. Header bytes other than the length field are zeros.
 */
final class LengthFraming implements MessageFraming {

	private final PackageLengthType type;

	private final int lengthOffset;

	private final int bodyOffset;

	private final int headerLength;

	LengthFraming(PackageLengthType type, int lengthOffset, int bodyOffset) {
		Assert.isTrue(lengthOffset >= 0, "The length offset must not be negative");
		Assert.isTrue(bodyOffset == 0 || bodyOffset >= lengthOffset + type.size(),
				() -> "The body offset must be 0 or at least " + (lengthOffset + type.size())
						+ " (the length offset plus the size of the length field)");
		this.type = type;
		this.lengthOffset = lengthOffset;
		this.bodyOffset = bodyOffset;
		this.headerLength = Math.max(bodyOffset, lengthOffset + type.size());
	}

	@Override
	public byte[] frame(byte[] message) {
		long length = (this.bodyOffset != 0) ? message.length : (long) this.headerLength + message.length;
		Assert.isTrue(length <= maxLength(), () -> "A message of " + message.length + " bytes does not fit a length"
				+ " field of type " + this.type + ", which holds at most " + maxLength());
		ByteBuffer frame = ByteBuffer.allocate(this.headerLength + message.length).order(this.type.order());
		switch (this.type.size()) {
			case 1 -> frame.put(this.lengthOffset, (byte) length);
			case 2 -> frame.putShort(this.lengthOffset, (short) length);
			default -> frame.putInt(this.lengthOffset, (int) length);
		}
		return frame.put(this.headerLength, message).array();
	}

	@Override
	public @Nullable Frame next(byte[] bytes, int from, int to) {
		if (to - from < this.lengthOffset + this.type.size()) {
			return null;
		}
		long length = length(ByteBuffer.wrap(bytes).order(this.type.order()), from + this.lengthOffset);
		long frameLength = (this.bodyOffset != 0) ? this.bodyOffset + length : length;
		if (length < 0 || frameLength < this.headerLength || frameLength > Integer.MAX_VALUE) {
			throw new AssertionError("The server sent a frame whose length field (" + this + ") holds " + length);
		}
		if (to - from < frameLength) {
			return null;
		}
		return new Frame(Arrays.copyOfRange(bytes, from + this.headerLength, from + (int) frameLength),
				(int) frameLength);
	}

	private long length(ByteBuffer bytes, int index) {
		boolean signed = this.type.isSigned();
		return switch (this.type.size()) {
			case 1 -> signed ? bytes.get(index) : Byte.toUnsignedLong(bytes.get(index));
			case 2 -> signed ? bytes.getShort(index) : Short.toUnsignedLong(bytes.getShort(index));
			default -> signed ? bytes.getInt(index) : Integer.toUnsignedLong(bytes.getInt(index));
		};
	}

	private long maxLength() {
		int bits = this.type.size() * Byte.SIZE - (this.type.isSigned() ? 1 : 0);
		return (1L << bits) - 1;
	}

	@Override
	public String toString() {
		return "length " + this.type + " at " + this.lengthOffset + ", body at " + this.bodyOffset;
	}

}
