package io.swooletask.server;

/**
 * A task ended without a finish result while its caller waited for one.
 */
public class TaskNoResultException extends SwooleServerException {

	public TaskNoResultException(String message) {
		super(message);
	}

}
