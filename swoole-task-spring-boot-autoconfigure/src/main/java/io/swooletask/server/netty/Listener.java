package io.swooletask.server.netty;

import java.util.List;

import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.NettyInbound;
import reactor.netty.NettyOutbound;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.SwooleServerCustomizer;

/**
 * What the server is on the network: the TCP listener on the server's loops, with its
 * address, socket options and TLS from the settings, each accepted connection set up by a
 * {@link ConnectionInitializer}, then every {@link SwooleServerCustomizer} applied.
 */
final class Listener {

	private Listener() {
	}

	static TcpServer configure(NettySwooleServerFactory options, @Nullable ServerTls tls, LoopResources loops,
			ChannelPipelineConfigurer connections, List<SwooleServerCustomizer> customizers) {
		TcpServer server = TcpServer.create()
			.runOn(loops, options.isNativeTransport())
			.host(options.getHost())
			.port(options.getPort())
			.option(ChannelOption.SO_BACKLOG, options.getBacklog())
			.childOption(ChannelOption.TCP_NODELAY, options.isTcpNoDelay())
			.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(options.getBufferOutputSize() / 2, options.getBufferOutputSize()))
			.doOnChannelInit(connections)
			.handle(Listener::keepOpen);
		if (tls != null) {
			server = tls.secure(server);
		}
		for (SwooleServerCustomizer customizer : customizers) {
			server = customizer.apply(server);
		}
		return server;
	}

	/**
	 * Keeps the connection open until either side closes it, without subscribing to
	 * Reactor Netty's inbound: the {@link ConnectionHandler} consumes every message
	 * before it, so a subscription would only cost each connection its subscribers'
	 * objects (about 170 bytes) and switch reading on behind the {@link ReadGate}, which
	 * switches it on itself when the connection becomes active.
	 */
	private static Mono<Void> keepOpen(NettyInbound inbound, NettyOutbound outbound) {
		return Mono.never();
	}

}
