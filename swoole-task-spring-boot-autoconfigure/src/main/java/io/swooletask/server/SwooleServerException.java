package io.swooletask.server;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions thrown by the server.
 */
public class SwooleServerException extends RuntimeException {

	public SwooleServerException(String message) {
		super(message);
	}

	public SwooleServerException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
