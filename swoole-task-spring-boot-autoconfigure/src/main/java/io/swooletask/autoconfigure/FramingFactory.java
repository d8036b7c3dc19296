package io.swooletask.autoconfigure;

import java.nio.charset.StandardCharsets;

import io.swooletask.server.netty.Framing;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the framing properties into a {@link Framing}, failing on a combination that cannot work.
 */
final class FramingFactory {

	private FramingFactory() {
	}

	static Framing create(SwooleServerProperties properties) {
		int maxLength = maxLength(properties);
		if (properties.isOpenEofSplit() || properties.isOpenEofCheck()) {
			byte[] eof = properties.getPackageEof().getBytes(StandardCharsets.UTF_8);
			if (eof.length < 1 || eof.length > 8) {
				throw new InvalidConfigurationPropertyValueException("swoole.server.package-eof",
						properties.getPackageEof(), "It must be 1 to 8 bytes long, as in Swoole.");
			}
			return Framing.eof(eof, maxLength);
		}
		return Framing.raw();
	}

	private static int maxLength(SwooleServerProperties properties) {
		long bytes = properties.getPackageMaxLength().toBytes();
		if (bytes < 1 || bytes > Integer.MAX_VALUE) {
			throw new InvalidConfigurationPropertyValueException("swoole.server.package-max-length",
					properties.getPackageMaxLength(), "It must be from 1 byte to 2 GB.");
		}
		return (int) bytes;
	}

}
