package io.swooletask.server;

/**
 * What {@code task()} does when the task queue is full.
 */
public enum TaskOverflow {

	/**
	 * Never drop: on an event loop, accept the task and stop reading from connections
	 * until the queue drains, so TCP slows the clients; elsewhere, wait up to
	 * {@code task-enqueue-timeout} for room, then throw
	 * {@link io.swooletask.server.TaskRejectedException}.
	 */
	BACKPRESSURE,

	/**
	 * Throw {@link io.swooletask.server.TaskRejectedException} at once, on any thread.
	 */
	REJECT

}
