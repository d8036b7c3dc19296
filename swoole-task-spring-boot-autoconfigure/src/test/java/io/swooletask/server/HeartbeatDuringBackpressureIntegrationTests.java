package io.swooletask.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.Lines;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat against clients whose reading the server itself paused: a pause the
 * server imposed, or a task still running for the client, is not the client's idleness.
 * Reading pauses for longer than the heartbeat's idle time here: half the queue's places,
 * 30 tasks of 50 ms each, must drain first.
 */
@ExtendWith(OutputCaptureExtension.class)
class HeartbeatDuringBackpressureIntegrationTests {

	private static final int CAPACITY = 60;

	/**
	 * Lines the flooding client pipelines: reading pauses and resumes while they are
	 * handled.
	 */
	private static final int FLOOD = 90;

	/** Lines the other client sends while reading is paused. */
	private static final int HELD = 20;

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(SlowHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.task-queue-capacity=" + CAPACITY, "swoole.server.heartbeat-idle-time=1",
				"swoole.server.open-eof-split=true", "swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

	@Test
	void clientsWhoseReadingTheServerPausedGetEveryReply() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient flooding = TestClient.connect(server.port());
					TestClient held = TestClient.connect(server.port())) {
				pauseReading(server, flooding);
				held.send(Lines.numbered("held-", HELD));
				for (int i = 0; i < FLOOD; i++) {
					assertThat(flooding.readLine()).as("reply %d to the flooding client", i)
						.isEqualTo("flood-" + i + " -> OK");
				}
				for (int i = 0; i < HELD; i++) {
					assertThat(held.readLine()).as("reply %d to the client held back", i)
						.isEqualTo("held-" + i + " -> OK");
				}
			}
			assertPlacesReturned(server);
		});
	}

	@Test
	void clientsIdleOnceReadingHasResumedAreStillClosedByTheHeartbeat(CapturedOutput output) {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient flooding = TestClient.connect(server.port());
					TestClient held = TestClient.connect(server.port());
					TestClient silent = TestClient.connect(server.port())) {
				pauseReading(server, flooding);
				held.send(Lines.numbered("held-", HELD));
				for (int i = 0; i < FLOOD; i++) {
					assertThat(flooding.readLine()).isEqualTo("flood-" + i + " -> OK");
				}
				for (int i = 0; i < HELD; i++) {
					assertThat(held.readLine()).isEqualTo("held-" + i + " -> OK");
				}
				assertThat(held.isClosedByServer()).as("the client held back, idle after its replies").isTrue();
				assertThat(silent.isClosedByServer()).as("a client that never sent anything").isTrue();
				assertThat(flooding.isClosedByServer()).as("the flooding client, idle after its replies").isTrue();
			}
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output.getOut()
					.lines()
					.filter((line) -> line.contains("no message for 1000 ms (swoole.server.heartbeat-idle-time)")))
					.hasSize(3));
			assertPlacesReturned(server);
		});
	}

	/**
	 * Pipelines the flood, and waits until the queue is past half full: the server has
	 * read the flood, which takes the queue to its saturation mark, where reading pauses
	 * until it drains back to half.
	 */
	private static void pauseReading(SwooleServer server, TestClient flooding) {
		flooding.send(Lines.numbered("flood-", FLOOD));
		await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().taskingNum() > CAPACITY / 2);
	}

	private static void assertPlacesReturned(SwooleServer server) {
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(server.stats()).returns(0, ServerStats::taskingNum)
				.returns(0, ServerStats::taskRunning));
	}

	static class SlowHandlers {

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(String data) {
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
