package io.swooletask.server;

import java.nio.ByteOrder;

/**
 * Swoole's {@code package_length_type}: PHP {@code pack()} codes for the length field of
 * a frame.
 */
public enum PackageLengthType {

	/** Signed 8 bits. */
	c(1, true, ByteOrder.BIG_ENDIAN),
	/** Unsigned 8 bits. */
	C(1, false, ByteOrder.BIG_ENDIAN),
	/**
	 * Signed 16 bits, machine byte order (little-endian, as on the hosts Swoole runs on).
	 */
	s(2, true, ByteOrder.LITTLE_ENDIAN),
	/** Unsigned 16 bits, machine byte order (little-endian). */
	S(2, false, ByteOrder.LITTLE_ENDIAN),
	/** Unsigned 16 bits, big-endian (network order). */
	n(2, false, ByteOrder.BIG_ENDIAN),
	/** Unsigned 32 bits, big-endian (network order). */
	N(4, false, ByteOrder.BIG_ENDIAN),
	/** Signed 32 bits, machine byte order (little-endian). */
	l(4, true, ByteOrder.LITTLE_ENDIAN),
	/** Unsigned 32 bits, machine byte order (little-endian). */
	L(4, false, ByteOrder.LITTLE_ENDIAN),
	/** Unsigned 16 bits, little-endian. */
	v(2, false, ByteOrder.LITTLE_ENDIAN),
	/** Unsigned 32 bits, little-endian. */
	V(4, false, ByteOrder.LITTLE_ENDIAN);

	private final int size;

	private final boolean signed;

	private final ByteOrder order;

	PackageLengthType(int size, boolean signed, ByteOrder order) {
		this.size = size;
		this.signed = signed;
		this.order = order;
	}

	/**
	 * The size of the length field.
	 * @return its size in bytes
	 */
	public int size() {
		return this.size;
	}

	/**
	 * Whether the length field is signed.
	 * @return whether it is
	 */
	public boolean isSigned() {
		return this.signed;
	}

	/**
	 * The byte order of the length field.
	 * @return its order
	 */
	public ByteOrder order() {
		return this.order;
	}

}
