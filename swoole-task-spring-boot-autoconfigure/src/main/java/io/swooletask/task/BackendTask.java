package io.swooletask.task;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Task;

/**
 * A task as the server hands it to a {@link TaskBackend}: what the backend reads to run
 * it or send it on, and what it hands back to the {@link TaskBackend.Context} with the
 * task's result, failure and end. The server implements it: a backend hands back the very
 * object it was given, never one of its own, which the context refuses.
 */
public interface BackendTask extends Task {

	/**
	 * The worker the task was targeted at.
	 * @return the worker id, or -1 for any
	 */
	int dstWorkerId();

	/**
	 * What the observations of the task descend from: the observation in scope where it
	 * was dispatched.
	 * @return the parent, or {@code null} when the steps are not observed
	 */
	@Nullable Object parentObservation();

	/**
	 * What orders the task, when it was dispatched with {@code taskOrdered}: the backend
	 * runs tasks with equal keys one at a time, in the order it was handed them.
	 * @return the key, or {@code null} for a task in no order
	 */
	@Nullable Object orderKey();

}
