package io.swooletask.torture;

/**
 * One request of the torture test, as task data: {@code <id> <op> <arg>} on the wire,
 * where the id is {@code <client>#<sequence>}.
 *
 * @param id what the reply starts with
 * @param op what to do
 * @param arg the operation's argument
 * @param fd the connection it came on
 */
public record Job(String id, Op op, int arg, long fd) {

	/**
	 * Reads a request.
	 * @param text the request
	 * @param fd the connection it came on
	 * @return the job
	 */
	static Job parse(String text, long fd) {
		String[] parts = text.split(" ", 3);
		return new Job(parts[0], Op.valueOf(parts[1]), Integer.parseInt(parts[2]), fd);
	}

	/**
	 * The request on the wire.
	 * @param client the client's number
	 * @param sequence the request's number on its client
	 * @param op what to do
	 * @param arg the operation's argument
	 * @return the text
	 */
	static String text(int client, int sequence, Op op, int arg) {
		return client + "#" + sequence + " " + op + " " + arg;
	}

	/**
	 * The reply line to this request.
	 * @param outcome {@code ok}, {@code failed} or {@code rejected}
	 * @return the line
	 */
	String reply(String outcome) {
		if (this.op == Op.BIG && outcome.equals("ok")) {
			int padding = Math.max(0, this.arg - this.id.length() - 5);
			return this.id + " ok " + "x".repeat(padding) + "\n";
		}
		return this.id + " " + outcome + "\n";
	}

}
