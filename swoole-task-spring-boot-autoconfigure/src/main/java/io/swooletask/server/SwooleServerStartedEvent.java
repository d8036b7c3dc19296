package io.swooletask.server;

import java.net.InetSocketAddress;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the server is bound and accepting connections.
 */
public class SwooleServerStartedEvent extends ApplicationEvent {

	private final InetSocketAddress address;

	public SwooleServerStartedEvent(SwooleServer server, InetSocketAddress address) {
		super(server);
		this.address = address;
	}

	/**
	 * The server that started.
	 * @return the server
	 */
	public SwooleServer getServer() {
		return (SwooleServer) getSource();
	}

	/**
	 * The bound address, with the real port when port 0 was asked for.
	 * @return the bound address
	 */
	public InetSocketAddress getAddress() {
		return this.address;
	}

}
