package io.swooletask.server.netty;

import java.util.List;

import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import reactor.core.publisher.Mono;
import reactor.netty.ChannelPipelineConfigurer;
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
			.handle((inbound, outbound) -> inbound.receive().then(Mono.never()));
		if (tls != null) {
			server = tls.secure(server);
		}
		for (SwooleServerCustomizer customizer : customizers) {
			server = customizer.apply(server);
		}
		return server;
	}

}
