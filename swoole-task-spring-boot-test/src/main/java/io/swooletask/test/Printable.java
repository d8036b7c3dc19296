package io.swooletask.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Received bytes and timeouts as failure messages show them: text in quotes with control
 * characters escaped, long text cut short.
 */
final class Printable {

	private static final int MAX_SHOWN = 200;

	private Printable() {
	}

	static String quoted(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		text.codePoints().limit(MAX_SHOWN).forEach((c) -> {
			switch (c) {
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				case '"', '\\' -> quoted.append('\\').appendCodePoint(c);
				default -> {
					if (Character.isISOControl(c)) {
						quoted.append(String.format("\\x%02x", c));
					}
					else {
						quoted.appendCodePoint(c);
					}
				}
			}
		});
		quoted.append('"');
		if (text.codePointCount(0, text.length()) > MAX_SHOWN) {
			quoted.append("...");
		}
		return quoted.toString();
	}

	static String bytes(byte[] bytes) {
		return quoted(new String(bytes, StandardCharsets.UTF_8));
	}

	static String replies(List<byte[]> replies) {
		return replies.stream().map(Printable::bytes).collect(Collectors.joining(", ", "[", "]"));
	}

	static String duration(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
