package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.Test;

import io.swooletask.annotation.OnReceive;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle events a {@link ConnectionHandler} gets: with {@code heartbeat-idle-time} set,
 * its heartbeat's, and it closes the idle connection; without one, only those of a
 * handler the application added, which it passes on, the connection left open. It had
 * thrown a {@link NullPointerException} on such an event, which closed the connection
 * (found by NullAway: the idle time is {@code null} when unset).
 */
class ConnectionHandlerIdleEventTests {

	private final List<Object> passedOn = new ArrayList<>();

	@Test
	void idleEventWithoutHeartbeatIsPassedOn() {
		EmbeddedChannel channel = channel(null);
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		assertThat(channel.isOpen()).isTrue();
		assertThat(this.passedOn).containsExactly(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
	}

	@Test
	void idleEventWithHeartbeatClosesTheConnection() {
		EmbeddedChannel channel = channel(Duration.ofSeconds(5));
		channel.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
		assertThat(channel.isOpen()).isFalse();
		assertThat(this.passedOn).isEmpty();
	}

	private EmbeddedChannel channel(Duration heartbeatIdleTime) {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		SwooleHandlers handlers = processor.handlers();
		NettySwooleServerFactory options = new NettySwooleServerFactory();
		options.setMaxConn(1);
		options.setHeartbeatIdleTime(heartbeatIdleTime);
		ConnectionRegistry registry = new ConnectionRegistry(1, true, 0);
		ConnectionHandler handler = new ConnectionHandler(new ConnectionHandler.Shared(null, handlers,
				handlers.receive(), registry, (buffer) -> null, options, new ReadGate(registry), new EventLoops()));
		return new EmbeddedChannel(handler, new ChannelInboundHandlerAdapter() {

			@Override
			public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
				ConnectionHandlerIdleEventTests.this.passedOn.add(event);
			}

		});
	}

	static class Handlers {

		@OnReceive
		void receive(String data) {
		}

	}

}
