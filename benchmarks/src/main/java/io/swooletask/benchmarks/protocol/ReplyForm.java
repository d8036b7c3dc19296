package io.swooletask.benchmarks.protocol;

/**
 * The forms a reply line takes, without its {@code \n}.
 */
public enum ReplyForm {

	/** A task's result: {@code <payload> -> OK}. */
	TASK_RESULT("", " -> OK"),

	/** The receive path's own answer: {@code <payload>}. */
	ECHO("", ""),

	/** A failed task: {@code ERR <payload>}. */
	ERROR("ERR ", ""),

	/** The heap used after a garbage collection: {@code HEAP <bytes>}. */
	HEAP("HEAP ", "");

	private final String prefix;

	private final String suffix;

	ReplyForm(String prefix, String suffix) {
		this.prefix = prefix;
		this.suffix = suffix;
	}

	/**
	 * The reply for a payload.
	 * @param payload the payload
	 * @return the reply line, without its {@code \n}
	 */
	public String format(String payload) {
		return this.prefix + payload + this.suffix;
	}

	/**
	 * Reads a reply line.
	 * @param line the line, without its {@code \n}
	 * @return the form and payload; a line with no prefix or suffix is an {@link #ECHO}
	 */
	public static Reply parse(String line) {
		for (ReplyForm form : values()) {
			if (form != ECHO && line.startsWith(form.prefix) && line.endsWith(form.suffix)
					&& line.length() >= form.prefix.length() + form.suffix.length()) {
				return new Reply(form, line.substring(form.prefix.length(), line.length() - form.suffix.length()));
			}
		}
		return new Reply(ECHO, line);
	}

	/**
	 * A reply line, read.
	 *
	 * @param form its form
	 * @param payload the payload it carries
	 */
	public record Reply(ReplyForm form, String payload) {

	}

}
