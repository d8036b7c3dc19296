package io.swooletask.task;

import io.swooletask.server.Task;

/**
 * Told when each task starts and ends on its worker, for metrics.
 */
public interface TaskObserver {

	/** Observes nothing. */
	TaskObserver NONE = new TaskObserver() {
	};

	/**
	 * A task worker took the task.
	 * @param task the task
	 * @param queueWaitNanos how long it waited in the queue
	 */
	default void started(Task task, long queueWaitNanos) {
	}

	/**
	 * The task's handler returned or threw.
	 * @param task the task
	 * @param executionNanos how long the handler ran
	 * @param failed whether it threw
	 */
	default void ended(Task task, long executionNanos, boolean failed) {
	}

}
