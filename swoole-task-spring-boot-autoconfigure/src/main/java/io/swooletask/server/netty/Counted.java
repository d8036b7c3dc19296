package io.swooletask.server.netty;

/**
 * A count and its noun, singular for one, for the server's log lines.
 */
final class Counted {

	private Counted() {
	}

	/**
	 * The count followed by the noun, with an {@code s} unless the count is one.
	 * @param count how many
	 * @param noun the singular noun, possibly of several words, the last of them counted
	 * @return for example {@code "1 connection"} or {@code "2 connections"}
	 */
	static String of(long count, String noun) {
		return count + " " + noun + ((count == 1) ? "" : "s");
	}

}
