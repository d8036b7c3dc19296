package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.Lines;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Half-closed clients whose messages are taken one by one stop with the other connections
 * of their loop when reading pauses, so the queue stays within its bound however many of
 * them there are.
 */
class PausedHalfClosedIntegrationTests {

	private static final int CAPACITY = 10;

	/** One event loop: past the capacity by at most one message's task. */
	private static final int BOUND = CAPACITY + 1;

	/** One running on the only task worker, and enough queued to pause reading. */
	private static final int HELD = CAPACITY + 1;

	private static final int HALF_CLOSED = 8;

	private static final int LINES = 20;

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(HoldingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.task-queue-capacity=" + CAPACITY, "swoole.server.open-eof-split=true",
				"swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

	@Test
	void halfClosedClientsTakenOneByOneStopWhenReadingPauses() {
		this.runner.run((context) -> {
			NettySwooleServer server = context.getBean(NettySwooleServer.class);
			HoldingHandlers handlers = context.getBean(HoldingHandlers.class);
			List<TestClient> halfClosed = new ArrayList<>();
			try (TestClient holding = TestClient.connect(server.port())) {
				holding.send(Lines.numbered(HoldingHandlers.HOLD, HELD));
				await().atMost(Duration.ofSeconds(10)).until(() -> server.readingPausedSince() != null);
				for (int i = 0; i < HALF_CLOSED; i++) {
					TestClient client = TestClient.connect(server.port());
					halfClosed.add(client);
					client.send(Lines.numbered(HoldingHandlers.SLOW, LINES));
					client.socket().shutdownOutput();
				}
				handlers.hold.countDown();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> server.stats().taskCompleted() >= HELD && server.readingPausedSince() != null);
				await().during(Duration.ofMillis(500))
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(server.stats().taskQueuePeak())
						.as("tasks queued once half-closed clients refilled the queue")
						.isLessThanOrEqualTo(BOUND));
				handlers.slow.countDown();
				for (TestClient client : halfClosed) {
					for (int i = 0; i < LINES; i++) {
						assertThat(client.readLine()).as("reply %d to a half-closed client", i).endsWith(" -> OK");
					}
				}
			}
			finally {
				handlers.hold.countDown();
				handlers.slow.countDown();
				halfClosed.forEach(TestClient::close);
			}
			assertThat(server.stats().taskQueuePeak()).isLessThanOrEqualTo(BOUND);
		});
	}

	/**
	 * Answers each line; the tasks of {@link #HOLD} lines wait for {@link #hold}, those
	 * of {@link #SLOW} lines for {@link #slow}.
	 */
	static class HoldingHandlers {

		static final String HOLD = "hold-";

		static final String SLOW = "slow-";

		final CountDownLatch hold = new CountDownLatch(1);

		final CountDownLatch slow = new CountDownLatch(1);

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(String data) throws InterruptedException {
			(data.startsWith(HOLD) ? this.hold : this.slow).await(30, TimeUnit.SECONDS);
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
