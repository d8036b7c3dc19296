package io.swooletask.server;

/**
 * A waited-for task gave no result within its timeout.
 */
public class TaskTimeoutException extends SwooleServerException {

	public TaskTimeoutException(String message) {
		super(message);
	}

}
