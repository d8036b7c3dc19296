package io.swooletask.support;

/**
 * Line-framed request bodies for servers that split on {@code package-eof: "\n"}.
 */
public final class Lines {

	private Lines() {
	}

	/**
	 * Lines {@code prefix0} to {@code prefix(count-1)}, each ended by a line feed, to be
	 * pipelined in one write.
	 * @param prefix what each line starts with
	 * @param count how many lines
	 * @return the lines
	 */
	public static String numbered(String prefix, int count) {
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < count; i++) {
			lines.append(prefix).append(i).append('\n');
		}
		return lines.toString();
	}

}
