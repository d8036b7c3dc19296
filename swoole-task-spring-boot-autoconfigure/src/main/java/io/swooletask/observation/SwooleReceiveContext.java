package io.swooletask.observation;

import io.swooletask.server.Connection;

/**
 * The context of the {@code swoole.receive} observation: an {@code @OnReceive} call on an
 * event loop.
 */
public class SwooleReceiveContext extends SwooleStepContext {

	private final Connection connection;

	public SwooleReceiveContext(String handler, String transport, Connection connection) {
		super(handler, transport);
		this.connection = connection;
	}

	/**
	 * The connection the message came from.
	 * @return the connection
	 */
	public Connection getConnection() {
		return this.connection;
	}

}
