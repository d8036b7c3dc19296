package io.swooletask.test;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * No framing: a message goes out as it is, and whatever one read returns is one reply, as
 * the server without framing settings sees its input.
 */
final class RawFraming implements MessageFraming {

	@Override
	public byte[] frame(byte[] message) {
		return message.clone();
	}

	@Override
	public @Nullable Frame next(byte[] bytes, int from, int to) {
		return (to > from) ? new Frame(Arrays.copyOfRange(bytes, from, to), to - from) : null;
	}

	@Override
	public String toString() {
		return "raw";
	}

}
