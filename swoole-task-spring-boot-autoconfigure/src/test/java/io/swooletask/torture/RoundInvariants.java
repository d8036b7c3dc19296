package io.swooletask.torture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.swooletask.server.ServerStats;

/**
 * The promises a torture round checks at its end, each broken one as a line that says
 * which and how.
 */
public final class RoundInvariants {

	/**
	 * A line that starts a throwable's report: a class name, its message after a colon.
	 */
	private static final Pattern THROWABLE = Pattern.compile("^(Caused by: )?([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(: .*)?$");

	/**
	 * How much sooner than the idle time a heartbeat close may come after
	 * {@code @OnReceive}.
	 */
	private static final Duration IDLE_MARGIN = Duration.ofMillis(20);

	private final RoundSettings settings;

	private final List<String> log;

	private final List<String> violations = new ArrayList<>();

	/**
	 * Starts the checks of a round.
	 * @param settings the round's settings
	 * @param log what was logged during the round
	 */
	public RoundInvariants(RoundSettings settings, String log) {
		this.settings = settings;
		this.log = log.lines().toList();
	}

	/**
	 * Every request sent on a connection the client did not reset is answered exactly
	 * once; or its connection was closed with one log line that says why (which drops the
	 * replies pending on it), or by the stop of the server; or, on a connection left
	 * open, its reply was refused by {@code buffer-output-size} and counted.
	 * @param script what the client did
	 * @param client what the client saw
	 * @param stopped whether the server was stopped while the client was busy
	 * @param refusedWrites the server's count of refused sends
	 * @param handlers what the server's handlers saw
	 */
	public void everyRequestAnsweredOnce(ClientScript script, ReplyLedger client, boolean stopped, long refusedWrites,
			TortureHandlers handlers) {
		String who = script + " on port " + client.localPort();
		if (!client.duplicated().isEmpty()) {
			violation(who + ": requests answered more than once: " + first(client.duplicated()));
		}
		if (!client.unexpected().isEmpty()) {
			violation(who + ": replies to nothing it sent: " + client.unexpected().stream().limit(5).toList());
		}
		List<Integer> unanswered = client.unanswered();
		if (client.isAborted() || unanswered.isEmpty() || stopped) {
			return;
		}
		String remote = "remote=/127.0.0.1:" + client.localPort() + "]";
		String missing = unanswered.size() + " of " + client.sent() + " requests unanswered (first "
				+ first(unanswered).stream().map((n) -> n + ":" + client.op(n)).toList() + "), "
				+ ((client.closedNanos() != 0) ? "closed by the server" : "connection left open")
				+ (client.isHalfClosed() ? " after its half-close" : "") + "; "
				+ unanswered.stream().filter((n) -> handlers.received(client.client() + "#" + n)).count()
				+ " of them reached @OnReceive, "
				+ unanswered.stream().filter((n) -> handlers.replied(client.client() + "#" + n)).count()
				+ " had their reply taken by a send";
		long closeLines = (client.localPort() > 0) ? matching("Closing Connection[", remote) : 0;
		if (closeLines == 1) {
			// a close drops the replies still pending on the connection, sent or not: the
			// line says why
			idleOnlyIfIdle(client, who, remote, handlers);
			noReplyLostToAnIdleClose(script, client, who, remote, handlers, unanswered);
			return;
		}
		if (closeLines == 0 && client.localPort() > 0 && matching("Refused a send of ", remote) > 0) {
			if (refusedWrites < unanswered.size()) {
				violation(who + ": " + missing + ", only " + refusedWrites
						+ " sends refused in all (swoole.connections.writes.refused)");
			}
			return;
		}
		violation(who + ": " + missing + ", with " + closeLines + " log lines naming why");
	}

	/**
	 * A connection closed for idleness had had no request for the idle time, as the
	 * server saw it: a slow reader sees the close late and may write after it, so the
	 * client's own times do not tell. The heartbeat counts a request when it arrives, a
	 * moment before {@code @OnReceive} has it, hence a small margin.
	 */
	private void idleOnlyIfIdle(ReplyLedger client, String who, String remote, TortureHandlers handlers) {
		Duration heartbeat = this.settings.heartbeat();
		Long quietNanos = handlers.quietAtCloseNanos(client.client());
		if (heartbeat == null || quietNanos == null || matching("no message for", remote) == 0) {
			return;
		}
		if (quietNanos < heartbeat.minus(IDLE_MARGIN).toNanos()) {
			violation(who + ": closed as idle " + Duration.ofNanos(quietNanos).toMillis()
					+ " ms after its last request reached @OnReceive, under heartbeat-idle-time " + heartbeat.toMillis()
					+ " ms");
		}
	}

	/**
	 * A heartbeat closes a connection only when none of its tasks is in flight, a while
	 * after its last request: a client that reads at once has had every reply taken by a
	 * send before then. Replies to tasks dispatched from the application's own threads
	 * are not tracked against the connection, so they may cross the close.
	 */
	private void noReplyLostToAnIdleClose(ClientScript script, ReplyLedger client, String who, String remote,
			TortureHandlers handlers, List<Integer> unanswered) {
		if (script.readDelayMillis() != 0 || script.readPauseMillis() != 0 || matching("no message for", remote) == 0) {
			return;
		}
		List<Integer> lost = unanswered.stream()
			.filter((n) -> client.op(n) != Op.CALLBACK && client.op(n) != Op.ASYNC)
			.filter((n) -> handlers.replied(client.client() + "#" + n))
			.toList();
		if (!lost.isEmpty()) {
			violation(who + ": " + lost.size() + " replies taken by a send before the heartbeat closed the connection"
					+ " never arrived, though it read at once (first " + first(lost) + ")");
		}
	}

	/**
	 * While the server ran, the queue never held more than its capacity and one message's
	 * task per event loop. A stop is left out: it hands every message already decoded on
	 * at once, past the bound.
	 * @param peak the queue's peak before the stop
	 */
	public void queueBounded(int peak) {
		if (peak > this.settings.queueBound()) {
			violation("task queue peaked at " + peak + ", over its bound " + this.settings.queueBound() + " (capacity "
					+ this.settings.capacity() + ", " + this.settings.loops() + " loops, " + this.settings.overflow()
					+ ")");
		}
	}

	/**
	 * Once quiet, no task is queued or running and every place in the queue is free.
	 * @param stats the server's counters, read once it was quiet or the wait for it ended
	 * @param when at which point of the round
	 */
	public void quiet(ServerStats stats, String when) {
		if (stats.taskingNum() != 0 || stats.taskRunning() != 0 || stats.taskIdleWorkerNum() != stats.taskWorkerNum()) {
			violation(when + ": not quiet: taskingNum=" + stats.taskingNum() + " taskRunning=" + stats.taskRunning()
					+ " taskIdleWorkerNum=" + stats.taskIdleWorkerNum() + " of " + stats.taskWorkerNum());
		}
	}

	/**
	 * After the stop, every future is done and every callback task had an outcome.
	 * @param ledger the callback and future tasks
	 */
	public void settled(CompletionLedger ledger) {
		ledger.unsettled().forEach((line) -> violation("after the stop: " + line));
	}

	/**
	 * Every ERROR line is followed by the throwable that caused it.
	 */
	public void errorsHaveCauses() {
		for (int i = 0; i < this.log.size(); i++) {
			if (this.log.get(i).contains(" ERROR ")
					&& (i + 1 == this.log.size() || !THROWABLE.matcher(this.log.get(i + 1)).matches())) {
				violation("ERROR without a cause: " + this.log.get(i));
			}
		}
	}

	private long matching(String text, String remote) {
		return this.log.stream().filter((line) -> line.contains(text) && line.contains(remote)).count();
	}

	private static List<Integer> first(List<Integer> sequences) {
		return sequences.subList(0, Math.min(5, sequences.size()));
	}

	/**
	 * Records a broken promise.
	 * @param line what was broken
	 */
	public void violation(String line) {
		this.violations.add(line);
	}

	public List<String> violations() {
		return this.violations;
	}

}
