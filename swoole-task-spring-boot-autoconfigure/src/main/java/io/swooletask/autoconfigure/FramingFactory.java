package io.swooletask.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.netty.Framing;
import io.swooletask.server.PackageLengthType;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the framing properties into a {@link Framing}, failing with the property's name
 * on a setting or combination that cannot work.
 */
final class FramingFactory {

	private static final Log logger = LogFactory.getLog(FramingFactory.class);

	private static final String PREFIX = "swoole.server.";

	/**
	 * Escapes that YAML turns into a byte only in double quotes, by what they were meant
	 * to be: in single quotes, or none, they stay a backslash and a letter.
	 */
	private static final Map<String, String> literalEscapes = Map.of("\\r\\n", "CR LF", "\\n", "a newline", "\\r", "CR",
			"\\t", "a tab", "\\0", "a NUL byte");

	private FramingFactory() {
	}

	static Framing create(SwooleServerProperties properties) {
		int maxLength = maxLength(properties);
		boolean eof = properties.isOpenEofSplit() || properties.isOpenEofCheck();
		if (eof && properties.isOpenLengthCheck()) {
			throw invalid("open-length-check", true,
					"It cannot be combined with open-eof-split or open-eof-check: choose one framing.");
		}
		if (eof) {
			return eof(properties, maxLength);
		}
		if (properties.isOpenLengthCheck()) {
			return length(properties, maxLength);
		}
		return Framing.raw();
	}

	private static Framing eof(SwooleServerProperties properties, int maxLength) {
		warnOfLiteralEscapes(properties.getPackageEof());
		byte[] delimiter = properties.getPackageEof().getBytes(StandardCharsets.UTF_8);
		if (delimiter.length < 1 || delimiter.length > 8) {
			throw invalid("package-eof", properties.getPackageEof(), "It must be 1 to 8 bytes long, as in Swoole.");
		}
		if (maxLength <= delimiter.length) {
			throw invalid("package-max-length", properties.getPackageMaxLength(),
					"It must be longer than package-eof.");
		}
		return Framing.eof(delimiter, maxLength);
	}

	private static void warnOfLiteralEscapes(String eof) {
		String meant = literalEscapes.get(eof);
		if (meant != null) {
			List<String> spelled = eof.chars()
				.mapToObj((c) -> (c == '\\') ? "a backslash" : Character.toString(c))
				.toList();
			logger.warn(PREFIX + "package-eof is the " + ((eof.length() == 2) ? "two" : "four") + " characters " + eof
					+ " (" + String.join(", ", spelled.subList(0, spelled.size() - 1)) + " and "
					+ spelled.get(spelled.size() - 1) + "), not " + meant + ", so a message ends only where a client"
					+ " sends these characters: in YAML, write the value in double quotes, package-eof: \"" + eof
					+ "\"; in a .properties file, package-eof=" + eof + " is read as the control character already");
		}
	}

	private static Framing length(SwooleServerProperties properties, int maxLength) {
		PackageLengthType type = properties.getPackageLengthType();
		int lengthOffset = properties.getPackageLengthOffset();
		int bodyOffset = properties.getPackageBodyOffset();
		if (lengthOffset < 0) {
			throw invalid("package-length-offset", lengthOffset, "It must not be negative.");
		}
		long headerEnd = (long) lengthOffset + type.size();
		if (bodyOffset != 0 && bodyOffset < headerEnd) {
			throw invalid("package-body-offset", bodyOffset,
					"It must be 0 (the length counts the whole frame) or at least " + headerEnd
							+ " (package-length-offset plus the " + type.size() + " bytes of package-length-type "
							+ type + ").");
		}
		if (maxLength <= Math.max(bodyOffset, headerEnd)) {
			throw invalid("package-max-length", properties.getPackageMaxLength(),
					"It must be longer than the frame header.");
		}
		return Framing.length(type, lengthOffset, bodyOffset, maxLength);
	}

	static int maxLength(SwooleServerProperties properties) {
		long bytes = properties.getPackageMaxLength().toBytes();
		if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
			throw invalid("package-max-length", properties.getPackageMaxLength(), "It must be from 1 byte to 2 GB.");
		}
		return (int) bytes;
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

}
