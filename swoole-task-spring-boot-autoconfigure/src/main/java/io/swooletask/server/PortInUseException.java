package io.swooletask.server;

/**
 * The server could not bind because its port is already in use.
 */
public class PortInUseException extends SwooleServerException {

	private final String host;

	private final int port;

	public PortInUseException(String host, int port, Throwable cause) {
		super("Port " + port + " on " + host + " is already in use", cause);
		this.host = host;
		this.port = port;
	}

	public String getHost() {
		return this.host;
	}

	public int getPort() {
		return this.port;
	}

}
