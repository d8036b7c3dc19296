package io.swooletask.server.netty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.jspecify.annotations.Nullable;

/**
 * Copies a received message off its Netty buffer into the type the {@code @OnReceive}
 * method takes, so no buffer leaves the event loop.
 */
final class Payloads {

	private Payloads() {
	}

	static Function<ByteBuf, @Nullable Object> forType(Class<?> type) {
		if (type == String.class) {
			return (buffer) -> buffer.toString(StandardCharsets.UTF_8);
		}
		if (type == byte[].class) {
			return ByteBufUtil::getBytes;
		}
		if (type == ByteBuffer.class) {
			return (buffer) -> ByteBuffer.wrap(ByteBufUtil.getBytes(buffer));
		}
		return (buffer) -> null;
	}

}
