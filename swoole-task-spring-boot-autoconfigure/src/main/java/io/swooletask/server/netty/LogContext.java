package io.swooletask.server.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import io.swooletask.server.Connection;
import io.swooletask.server.Task;

/**
 * The task and the connection a thread is working for, in the logging MDC, so that every
 * line logged meanwhile, by the starter or by a handler, carries them as fields: with
 * Spring Boot's structured logging they can be filtered on. Switched off
 * ({@code swoole.server.logging.mdc=false}), it leaves the MDC alone.
 */
final class LogContext {

	private static final LogContext ON = new LogContext(true);

	private static final LogContext OFF = new LogContext(false);

	private static final String[] WORKER_IDS = new String[256];

	static {
		for (int i = 0; i < WORKER_IDS.length; i++) {
			WORKER_IDS[i] = Integer.toString(i);
		}
	}

	static final String TASK_ID = "swoole.task.id";

	static final String WORKER_ID = "swoole.worker.id";

	static final String CONNECTION_FD = "swoole.connection.fd";

	static final String CONNECTION_REMOTE = "swoole.connection.remote";

	private final boolean enabled;

	private LogContext(boolean enabled) {
		this.enabled = enabled;
	}

	static LogContext of(boolean enabled) {
		return enabled ? ON : OFF;
	}

	/**
	 * The connection's fields, made once per connection rather than at each of its
	 * events.
	 * @return the fields, or {@code null} for no connection or when switched off
	 */
	@Nullable Fields fields(@Nullable Connection connection) {
		return (this.enabled && connection != null)
				? new Fields(Long.toString(connection.id()), remote(connection.remoteAddress())) : null;
	}

	/**
	 * Names the connection, or clears it for {@code null}.
	 */
	void connection(@Nullable Fields connection) {
		if (!this.enabled) {
			return;
		}
		if (connection == null) {
			MDC.remove(CONNECTION_FD);
			MDC.remove(CONNECTION_REMOTE);
		}
		else {
			MDC.put(CONNECTION_FD, connection.fd());
			MDC.put(CONNECTION_REMOTE, connection.remote());
		}
	}

	/**
	 * Names the task and the worker that runs it.
	 */
	void task(Task task) {
		if (!this.enabled) {
			return;
		}
		if (task instanceof TaskRun run) {
			put(id(run.task), run.workerId());
		}
		else {
			put(Long.toString(task.id()), task.workerId());
		}
	}

	/**
	 * Names a dispatched task, and the worker that ran it unless that is unknown
	 * ({@code -1}).
	 */
	void task(DispatchedTask task, int workerId) {
		if (this.enabled) {
			put(id(task), workerId);
		}
	}

	private static String id(DispatchedTask task) {
		String id = task.logId;
		if (id == null) {
			id = Long.toString(task.id());
			task.logId = id;
		}
		return id;
	}

	private static void put(String taskId, int workerId) {
		MDC.put(TASK_ID, taskId);
		if (workerId >= 0) {
			MDC.put(WORKER_ID, (workerId < WORKER_IDS.length) ? WORKER_IDS[workerId] : Integer.toString(workerId));
		}
		else {
			MDC.remove(WORKER_ID);
		}
	}

	void taskEnded() {
		if (!this.enabled) {
			return;
		}
		MDC.remove(TASK_ID);
		MDC.remove(WORKER_ID);
	}

	/**
	 * A connection as the log fields name it.
	 *
	 * @param fd its id, Swoole's {@code fd}
	 * @param remote the client's address, {@code host:port}
	 */
	record Fields(String fd, String remote) {

	}

	private static String remote(@Nullable SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return String.valueOf(address);
	}

}
