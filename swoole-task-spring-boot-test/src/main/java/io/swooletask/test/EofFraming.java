package io.swooletask.test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Messages that end with a delimiter, which the frame adds and the reply loses.
 */
final class EofFraming implements MessageFraming {

	private final byte[] delimiter;

	EofFraming(byte[] delimiter) {
		Assert.isTrue(delimiter.length > 0, "The delimiter must not be empty");
		this.delimiter = delimiter.clone();
	}

	@Override
	public byte[] frame(byte[] message) {
		byte[] frame = Arrays.copyOf(message, message.length + this.delimiter.length);
		System.arraycopy(this.delimiter, 0, frame, message.length, this.delimiter.length);
		return frame;
	}

	@Override
	public @Nullable Frame next(byte[] bytes, int from, int to) {
		for (int end = from; end <= to - this.delimiter.length; end++) {
			if (Arrays.equals(bytes, end, end + this.delimiter.length, this.delimiter, 0, this.delimiter.length)) {
				return new Frame(Arrays.copyOfRange(bytes, from, end), end - from + this.delimiter.length);
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return "eof " + Printable.quoted(new String(this.delimiter, StandardCharsets.UTF_8));
	}

}
