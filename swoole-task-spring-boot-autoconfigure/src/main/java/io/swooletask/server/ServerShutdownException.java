package io.swooletask.server;

/**
 * A task did not finish because the server stopped: its graceful shutdown reached
 * {@code shutdown-timeout} first.
 */
public class ServerShutdownException extends SwooleServerException {

	public ServerShutdownException(String message) {
		super(message);
	}

}
