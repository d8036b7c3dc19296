package io.swooletask.benchmarks.driver;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads the {@code RESULT <json>} line of a run, and the JSON of other
 * reports.
 */
public final class ResultJson {

	/** What starts a result line. */
	public static final String PREFIX = "RESULT ";

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private ResultJson() {
	}

	/**
	 * The result line of a run.
	 * @param result the run's result
	 * @return {@code RESULT } and the result as one line of JSON
	 */
	public static String line(RunResult result) {
		return PREFIX + json(result);
	}

	/**
	 * Any record as one line of JSON.
	 * @param value the record
	 * @return the JSON
	 */
	public static String json(Object value) {
		return mapper.writeValueAsString(value);
	}

	/**
	 * Reads a result line.
	 * @param line a line starting with {@code RESULT }
	 * @return the run's result
	 */
	public static RunResult read(String line) {
		if (!line.startsWith(PREFIX)) {
			throw new IllegalArgumentException("Not a result line: " + line);
		}
		return mapper.readValue(line.substring(PREFIX.length()), RunResult.class);
	}

}
