package io.swooletask.task;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Task;

/**
 * A task as the server hands it to a {@link TaskBackend}: what the backend reads to run
 * it or send it on, and what it hands back to the {@link TaskBackend.Context} with the
 * task's result, failure and end.
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

}
