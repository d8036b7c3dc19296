package io.swooletask.server.netty;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

import io.swooletask.server.SwooleServer;

/**
 * What each connection's pipeline gets: write consolidation, the framing decoders, the
 * end-of-input marker, flow control between messages, the heartbeat and, last, the
 * {@link ConnectionHandler}.
 */
final class ConnectionInitializer implements ChannelPipelineConfigurer {

	/**
	 * Pipeline names of the handlers, made once per type rather than once per connection.
	 */
	private static final ClassValue<String> HANDLER_NAMES = new ClassValue<>() {

		@Override
		protected String computeValue(Class<?> type) {
			return "swoole." + type.getSimpleName();
		}

	};

	private final ConnectionHandler.Shared shared;

	private final NettySwooleServerFactory options;

	private final Framing framing;

	ConnectionInitializer(SwooleServer server, SwooleHandlers handlers, HandlerMethod receive,
			ConnectionRegistry registry, NettySwooleServerFactory options, Framing framing, ReadGate gate,
			EventLoops loops) {
		this.shared = new ConnectionHandler.Shared(server, handlers, receive, registry,
				Payloads.forType(receive.payloadType()), options, gate, loops);
		this.options = options;
		this.framing = framing;
	}

	@Override
	public void onChannelInit(ConnectionObserver observer, Channel channel, @Nullable SocketAddress remoteAddress) {
		ChannelPipeline pipeline = channel.pipeline();
		pipeline.addFirst("swoole.flush", new FlushConsolidationHandler(256, true));
		List<ChannelHandler> handlers = new ArrayList<>(this.framing.newDecoders());
		boolean framed = !handlers.isEmpty();
		handlers.add(InputShutdownMarker.INSTANCE);
		Duration idleTime = this.options.getHeartbeatIdleTime();
		if (idleTime != null) {
			// after the decoders, so only complete messages count: a client trickling
			// bytes is idle; before the flow control, so a message counts when it
			// arrives, not when reading resumes (which the flow control does not end
			// with a read-complete event, so the heartbeat would never fire again)
			handlers.add(new IdleStateHandler(idleTime.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
		}
		if (framed) {
			// holds decoded messages while reading is paused, so that it pauses between
			// two messages
			handlers.add(new FlowControlHandler());
		}
		handlers.add(new ConnectionHandler(this.shared));
		for (ChannelHandler handler : handlers) {
			String name = HANDLER_NAMES.get(handler.getClass());
			if (pipeline.get(NettyPipeline.ReactiveBridge) != null) {
				pipeline.addBefore(NettyPipeline.ReactiveBridge, name, handler);
			}
			else {
				pipeline.addLast(name, handler);
			}
		}
	}

}
