package io.swooletask.server.netty;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.PackageLengthType;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns the framing settings of a {@link NettySwooleServerFactory} into a
 * {@link Framing}, failing with the name of the {@code swoole.server.*} property they are
 * mapped from on a setting or combination that cannot work.
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

	static Framing create(NettySwooleServerFactory options) {
		int maxLength = maxLength(options);
		boolean eof = options.isOpenEofSplit() || options.isOpenEofCheck();
		if (eof && options.isOpenLengthCheck()) {
			throw invalid("open-length-check", true,
					"It cannot be combined with open-eof-split or open-eof-check: choose one framing.");
		}
		if (eof) {
			return eof(options, maxLength);
		}
		if (options.isOpenLengthCheck()) {
			return length(options, maxLength);
		}
		return Framing.raw();
	}

	private static Framing eof(NettySwooleServerFactory options, int maxLength) {
		warnOfLiteralEscapes(options.getPackageEof());
		byte[] delimiter = options.getPackageEof().getBytes(StandardCharsets.UTF_8);
		if (delimiter.length < 1 || delimiter.length > 8) {
			throw invalid("package-eof", options.getPackageEof(), "It must be 1 to 8 bytes long, as in Swoole.");
		}
		if (maxLength <= delimiter.length) {
			throw invalid("package-max-length", options.getPackageMaxLength(), "It must be longer than package-eof.");
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

	private static Framing length(NettySwooleServerFactory options, int maxLength) {
		PackageLengthType type = options.getPackageLengthType();
		int lengthOffset = options.getPackageLengthOffset();
		int bodyOffset = options.getPackageBodyOffset();
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
			throw invalid("package-max-length", options.getPackageMaxLength(),
					"It must be longer than the frame header.");
		}
		return Framing.length(type, lengthOffset, bodyOffset, maxLength);
	}

	static int maxLength(NettySwooleServerFactory options) {
		long bytes = options.getPackageMaxLength().toBytes();
		if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
			throw invalid("package-max-length", options.getPackageMaxLength(), "It must be from 1 byte to 2 GB.");
		}
		return (int) bytes;
	}

	private static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
	}

}
