package io.swooletask.server;

import org.jspecify.annotations.Nullable;

/**
 * A waited-for task threw; the cause is the task's own exception.
 */
public class TaskFailedException extends SwooleServerException {

	public TaskFailedException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
