package io.swooletask.benchmarks.driver;

/**
 * A group of connections that send the same request mix at the same pipeline depth,
 * reported together.
 *
 * @param connections how many connections
 * @param mix what each connection sends
 * @param depth how many requests each connection keeps outstanding
 */
public record ConnectionClass(int connections, RequestMix mix, int depth) {

	public ConnectionClass {
		if (connections < 1 || depth < 1) {
			throw new IllegalArgumentException(
					"A connection class needs at least one connection and a depth of 1" + " or more");
		}
	}

	/**
	 * Parses {@code <connections>:<mix>:<depth>}, as {@code 16:S20:4} or
	 * {@code 32:T=8,S5=1,F=1:8}.
	 * @param spec the class
	 * @return the class
	 * @throws IllegalArgumentException if it is not one
	 */
	public static ConnectionClass parse(String spec) {
		String[] parts = spec.split(":");
		if (parts.length != 3) {
			throw new IllegalArgumentException(
					"Bad connection class '" + spec + "': use <connections>:<mix>:<depth>, as 16:S20:4");
		}
		return new ConnectionClass(Integer.parseInt(parts[0]), RequestMix.parse(parts[1]), Integer.parseInt(parts[2]));
	}

	/**
	 * The class as written in the options, which names it in reports.
	 * @return {@code <connections>:<mix>:<depth>}
	 */
	public String name() {
		return this.connections + ":" + this.mix + ":" + this.depth;
	}

}
