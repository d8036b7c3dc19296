package io.swooletask.server;

/**
 * A task was not accepted: the task queue was full, or the server is not running.
 */
public class TaskRejectedException extends SwooleServerException {

	public TaskRejectedException(String message) {
		super(message);
	}

}
