package io.swooletask.benchmarks.protocol;

/**
 * A request line as a server reads it: its type and payload.
 *
 * @param type the request type
 * @param payload what follows the type and one space; empty for {@code G}
 */
public record Request(RequestType type, String payload) {

	/**
	 * Parses a request line.
	 * @param line the line, without its {@code \n}
	 * @return the request
	 * @throws IllegalArgumentException if the line is not a request of the protocol
	 */
	public static Request parse(String line) {
		int space = line.indexOf(' ');
		if (space < 0) {
			return new Request(RequestType.parse(line), "");
		}
		return new Request(RequestType.parse(line.substring(0, space)), line.substring(space + 1));
	}

}
