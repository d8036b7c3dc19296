package io.swooletask.server;

/**
 * A waited-for task threw; the cause is the task's own exception.
 */
public class TaskFailedException extends SwooleServerException {

	public TaskFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
