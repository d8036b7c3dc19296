package io.swooletask.server;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.channel.ChannelOption;
import io.swooletask.support.ReplyingHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionSettingsIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ReplyingHandlers.class)
		.withUserConfiguration(RecordingCustomizers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.open-eof-split=true");

	@Test
	void idleConnectionIsClosedAndOnCloseFires() {
		this.runner.withPropertyValues("swoole.server.heartbeat-idle-time=1500ms").run((context) -> {
			ReplyingHandlers handlers = context.getBean(ReplyingHandlers.class);
			try (TestClient idle = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(idle.send("once\r\n").readLine()).isEqualTo("got 4:once");
				assertThat(idle.isClosedByServer()).isTrue();
			}
			await().until(() -> handlers.closed.size() == 1);
		});
	}

	@Test
	void checkIntervalAloneSetsTheIdleTimeToTwiceIt() {
		this.runner.withPropertyValues("swoole.server.heartbeat-check-interval=150ms").run((context) -> {
			try (TestClient idle = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(idle.isClosedByServer()).isTrue();
			}
		});
	}

	@Test
	void connectionsStayOpenWithoutHeartbeat() {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("a\r\n").readLine()).isEqualTo("got 1:a");
				assertThat(client.send("b\r\n").readLine()).isEqualTo("got 1:b");
				assertThat(context.getBean(ReplyingHandlers.class).closed).isEmpty();
			}
		});
	}

	@Test
	void tcpNoDelayIsOnByDefaultAndCanBeTurnedOff() {
		this.runner.run((context) -> assertThat(
				noDelayOfAConnection(context.getBean(RecordingCustomizers.class), context.getBean(SwooleServer.class)))
			.isTrue());
		this.runner.withPropertyValues("swoole.server.open-tcp-nodelay=false")
			.run((context) -> assertThat(noDelayOfAConnection(context.getBean(RecordingCustomizers.class),
					context.getBean(SwooleServer.class)))
				.isFalse());
	}

	@Test
	void backlogIsApplied() {
		this.runner.withPropertyValues("swoole.server.backlog=77")
			.run((context) -> await().untilAsserted(
					() -> assertThat(context.getBean(RecordingCustomizers.class).backlog).containsExactly(77)));
	}

	@Test
	void customizersApplyInOrder() {
		this.runner.run((context) -> assertThat(context.getBean(RecordingCustomizers.class).applied)
			.containsExactly("first", "second"));
	}

	private static Boolean noDelayOfAConnection(RecordingCustomizers customizers, SwooleServer server) {
		try (TestClient client = TestClient.connect(server.port())) {
			assertThat(client.send("x\r\n").readLine()).isEqualTo("got 1:x");
		}
		return customizers.noDelay.peek();
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingCustomizers {

		final List<String> applied = new java.util.concurrent.CopyOnWriteArrayList<>();

		final Queue<Boolean> noDelay = new ConcurrentLinkedQueue<>();

		final Queue<Integer> backlog = new ConcurrentLinkedQueue<>();

		@Bean
		@Order(2)
		SwooleServerCustomizer second() {
			return (server) -> {
				this.applied.add("second");
				return server.doOnConnection((connection) -> this.noDelay
					.add(connection.channel().config().getOption(ChannelOption.TCP_NODELAY)));
			};
		}

		@Bean
		@Order(1)
		SwooleServerCustomizer first() {
			return (server) -> {
				this.applied.add("first");
				return server.doOnBound(
						(bound) -> this.backlog.add(bound.channel().config().getOption(ChannelOption.SO_BACKLOG)));
			};
		}

	}

}
