package io.swooletask.server;

import reactor.netty.tcp.TcpServer;

/**
 * Customizes the Reactor Netty {@link TcpServer} before it binds, for anything the
 * {@code swoole.server.*} properties do not expose. Declare beans of this type; they are
 * applied in {@link org.springframework.core.Ordered order}.
 */
@FunctionalInterface
public interface SwooleServerCustomizer {

	/**
	 * Customizes the server.
	 * @param server the server as configured so far
	 * @return the server to bind
	 */
	TcpServer apply(TcpServer server);

}
