package io.swooletask.benchmarks.protocol;

/**
 * One type of request of the benchmark protocol, named as it is written on the wire:
 * {@code T}, {@code S<ms>}, {@code E}, {@code F} or {@code G}.
 * <ul>
 * <li>{@code T <payload>}: a task answers {@code <payload> -> OK}.</li>
 * <li>{@code S<ms> <payload>}: a task sleeps {@code <ms>} milliseconds, then answers as
 * {@code T}.</li>
 * <li>{@code E <payload>}: the receive path answers {@code <payload>} itself, with no
 * task.</li>
 * <li>{@code F <payload>}: the task throws, and the server answers
 * {@code ERR <payload>}.</li>
 * <li>{@code G}: the receive path runs {@code System.gc()} and answers
 * {@code HEAP <bytes used>}.</li>
 * </ul>
 *
 * @param code the letter: {@code T}, {@code S}, {@code E}, {@code F} or {@code G}
 * @param sleepMillis how long an {@code S} task sleeps; 0 for the other types
 */
public record RequestType(char code, int sleepMillis) {

	/** {@code T}: a task that answers at once. */
	public static final RequestType TASK = new RequestType('T', 0);

	/** {@code E}: answered by the receive path. */
	public static final RequestType ECHO = new RequestType('E', 0);

	/** {@code F}: a task that throws. */
	public static final RequestType FAIL = new RequestType('F', 0);

	/** {@code G}: a garbage collection, answered with the heap used after it. */
	public static final RequestType HEAP = new RequestType('G', 0);

	public RequestType {
		if ("TSEFG".indexOf(code) < 0) {
			throw new IllegalArgumentException("Unknown request type '" + code + "': use T, S<ms>, E, F or G");
		}
		if ((code == 'S') != (sleepMillis > 0)) {
			throw new IllegalArgumentException("Only S takes a sleep, and it must be positive: S20 sleeps 20 ms");
		}
	}

	/**
	 * Parses a type as written on the wire and in the driver's options: {@code T},
	 * {@code S20}, {@code E}, {@code F} or {@code G}.
	 * @param spec the type
	 * @return the type
	 * @throws IllegalArgumentException if it is not one
	 */
	public static RequestType parse(String spec) {
		if (spec.isEmpty()) {
			throw new IllegalArgumentException("Empty request type: use T, S<ms>, E, F or G");
		}
		char code = spec.charAt(0);
		if (code == 'S') {
			try {
				return new RequestType(code, Integer.parseInt(spec, 1, spec.length(), 10));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("Bad sleep in request type '" + spec + "': S20 sleeps 20 ms");
			}
		}
		if (spec.length() != 1) {
			throw new IllegalArgumentException("Unknown request type '" + spec + "': use T, S<ms>, E, F or G");
		}
		return new RequestType(code, 0);
	}

	/**
	 * Whether the server hands this request to a task worker.
	 * @return {@code true} for {@code T}, {@code S} and {@code F}
	 */
	public boolean isTask() {
		return this.code == 'T' || this.code == 'S' || this.code == 'F';
	}

	/**
	 * The form of the answer to a request of this type.
	 * @return the reply form
	 */
	public ReplyForm replyForm() {
		return switch (this.code) {
			case 'E' -> ReplyForm.ECHO;
			case 'F' -> ReplyForm.ERROR;
			case 'G' -> ReplyForm.HEAP;
			default -> ReplyForm.TASK_RESULT;
		};
	}

	/**
	 * The request line for a payload, with its {@code \n}.
	 * @param payload the payload
	 * @return the line
	 */
	public String line(String payload) {
		return toString() + " " + payload + "\n";
	}

	@Override
	public String toString() {
		return (this.code == 'S') ? "S" + this.sleepMillis : String.valueOf(this.code);
	}

}
