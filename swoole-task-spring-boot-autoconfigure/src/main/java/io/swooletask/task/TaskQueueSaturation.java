package io.swooletask.task;

/**
 * Told when the event loops have filled the task queue, so that they stop reading from their
 * connections, and when it has drained to half, so that they read again. Called on the thread that
 * crossed the mark: an event loop, or a task worker.
 */
public interface TaskQueueSaturation {

	/**
	 * The queue is full: stop reading.
	 */
	void saturated();

	/**
	 * The queue has drained to half: read again.
	 */
	void drained();

}
