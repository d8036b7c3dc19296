package io.swooletask.server.netty;

import java.nio.ByteOrder;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.swooletask.server.PackageLengthType;

/**
 * Netty's length-field decoder with Swoole's framing: the frame is
 * {@code package_body_offset} plus the length value long, and a signed length type reads
 * negative values as such, so that they close the connection instead of passing for a
 * huge unsigned length.
 */
final class SwooleLengthFrameDecoder extends LengthFieldBasedFrameDecoder {

	private final PackageLengthType type;

	SwooleLengthFrameDecoder(PackageLengthType type, int lengthOffset, int bodyOffset, int maxLength) {
		super(type.order(), maxLength, lengthOffset, type.size(), bodyOffset - lengthOffset - type.size(),
				Math.max(bodyOffset, lengthOffset + type.size()), true);
		this.type = type;
	}

	@Override
	protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
		if (!this.type.isSigned()) {
			return super.getUnadjustedFrameLength(buf, offset, length, order);
		}
		ByteBuf ordered = buf.order(order);
		return switch (length) {
			case 1 -> ordered.getByte(offset);
			case 2 -> ordered.getShort(offset);
			default -> ordered.getInt(offset);
		};
	}

}
