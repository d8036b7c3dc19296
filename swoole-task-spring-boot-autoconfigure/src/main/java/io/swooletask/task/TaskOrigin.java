package io.swooletask.task;

import java.util.concurrent.Executor;

import io.netty.util.concurrent.FastThreadLocal;

import io.swooletask.server.Connection;

/**
 * Where a task came from, and so where its finish events go: the event loop that runs them, its index
 * (Swoole's {@code src_worker_id}) and the connection being served when the task was dispatched.
 *
 * @param executor the event loop that runs the task's finish events
 * @param workerId the index of that loop, or -1 for a task dispatched from outside the loops
 * @param connection the origin connection, or {@code null}
 */
public record TaskOrigin(Executor executor, int workerId, Connection connection) {

	private static final FastThreadLocal<TaskOrigin> current = new FastThreadLocal<>();

	/**
	 * The origin of the event being handled on this thread.
	 * @return the origin, or {@code null} outside an event handler
	 */
	public static TaskOrigin current() {
		return current.get();
	}

	/**
	 * Makes this the origin of tasks dispatched on this thread until {@link #exit(TaskOrigin)}.
	 * @return the origin it replaces, to pass to {@link #exit(TaskOrigin)}
	 */
	public TaskOrigin enter() {
		TaskOrigin previous = current.get();
		current.set(this);
		return previous;
	}

	/**
	 * Restores the origin that {@link #enter()} replaced.
	 * @param previous what {@link #enter()} returned
	 */
	public static void exit(TaskOrigin previous) {
		current.set(previous);
	}

}
