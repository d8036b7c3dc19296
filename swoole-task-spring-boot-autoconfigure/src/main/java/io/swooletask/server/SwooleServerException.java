package io.swooletask.server;

/**
 * Base class of the exceptions thrown by the server.
 */
public class SwooleServerException extends RuntimeException {

	public SwooleServerException(String message) {
		super(message);
	}

	public SwooleServerException(String message, Throwable cause) {
		super(message, cause);
	}

}
