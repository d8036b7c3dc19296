package io.swooletask.server.netty;

import io.netty.handler.ssl.SslContext;
import reactor.netty.tcp.SslProvider;
import reactor.netty.tcp.TcpServer;

/**
 * The listener's TLS, whose context can be replaced while it runs: each new connection's
 * handshake takes the context current when its hello arrives, through Reactor Netty's SNI
 * mapping, which is consulted with or without a server name; connections already open
 * keep theirs.
 */
final class ServerTls {

	private volatile SslProvider provider;

	ServerTls(SslContext context) {
		this.provider = provider(context);
	}

	TcpServer secure(TcpServer server) {
		SslProvider initial = this.provider;
		return server.secure((spec) -> spec.sslContext(initial.getSslContext())
			.setSniAsyncMappings((serverName, promise) -> promise.setSuccess(this.provider)));
	}

	void update(SslContext context) {
		this.provider = provider(context);
	}

	private static SslProvider provider(SslContext context) {
		return SslProvider.builder().sslContext(context).build();
	}

}
