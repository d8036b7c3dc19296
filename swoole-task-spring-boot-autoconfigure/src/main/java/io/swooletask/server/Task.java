package io.swooletask.server;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A dispatched task, as seen by {@code @OnTask} and {@code @OnFinish} methods.
 */
public interface Task {

	/**
	 * The task id: global and increasing.
	 * @return the id
	 */
	long id();

	/**
	 * The event loop that dispatched the task, Swoole's {@code $src_worker_id}.
	 * @return the loop index, or -1 for a task dispatched from outside the server's event
	 * loops
	 */
	int srcWorkerId();

	/**
	 * The task worker that runs or ran the task.
	 * @return the task worker id, or -1 before a worker took the task
	 */
	int workerId();

	/**
	 * The task data.
	 * @return the data
	 */
	Object data();

	/**
	 * When the task was dispatched.
	 * @return the dispatch time
	 */
	Instant dispatchTime();

	/**
	 * The connection being served when the task was dispatched (from its
	 * {@code @OnConnect}, {@code @OnReceive} or {@code @OnClose}, or a finish of one of
	 * its tasks), so that a task can write to it without its data carrying it. With the
	 * amqp transport, on the node that runs the task, its writes and its close travel
	 * through the broker to the node that owns the socket, and what it tells of the
	 * connection is what was true when the task was dispatched.
	 * @return the connection, or {@code null} for a task dispatched outside any
	 * connection (a web request, a runner)
	 */
	@Nullable Connection connection();

	/**
	 * Sends a result to the task's finish handler, as Swoole's
	 * {@code $server->finish($result)}. Each call is one finish event, delivered on the
	 * event loop that dispatched the task.
	 * @param result the result; never {@code null}
	 */
	void finish(Object result);

}
