package io.swooletask.server;

import java.time.Duration;
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
 * A connection accepted while reading is paused is not read until reading resumes, so the
 * queue stays within its bound however much the new client pipelines.
 */
class PausedAcceptIntegrationTests {

	private static final int CAPACITY = 100;

	private static final int WORKER_NUM = 2;

	/** Past the capacity by at most one message's task per event loop. */
	private static final int BOUND = CAPACITY + WORKER_NUM;

	/**
	 * Enough lines to fill the queue up to its saturation mark, so that reading pauses.
	 */
	private static final int HELD = 150;

	private static final int PIPELINED = 2_000;

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(HoldingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=" + WORKER_NUM, "swoole.server.task-worker-num=1",
				"swoole.server.task-queue-capacity=" + CAPACITY, "swoole.server.open-eof-split=true",
				"swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

	@Test
	void connectionAcceptedWhileReadingIsPausedIsNotReadPastTheQueueBound() {
		this.runner.run((context) -> {
			NettySwooleServer server = context.getBean(NettySwooleServer.class);
			HoldingHandlers handlers = context.getBean(HoldingHandlers.class);
			try (TestClient holding = TestClient.connect(server.port())) {
				holding.send(Lines.numbered(HoldingHandlers.HOLD, HELD));
				await().atMost(Duration.ofSeconds(30)).until(() -> server.readingPausedSince() != null);
				try (TestClient accepted = TestClient.connect(server.port())) {
					accepted.send(Lines.numbered("line-", PIPELINED));
					await().during(Duration.ofSeconds(1))
						.atMost(Duration.ofSeconds(5))
						.untilAsserted(() -> assertThat(server.stats().taskQueuePeak())
							.as("tasks queued while reading is paused")
							.isLessThanOrEqualTo(BOUND));
					handlers.release.countDown();
					for (int i = 0; i < HELD; i++) {
						assertThat(holding.readLine()).as("reply %d to the holding client", i).endsWith(" -> OK");
					}
					for (int i = 0; i < PIPELINED; i++) {
						assertThat(accepted.readLine()).as("reply %d to the client accepted while paused", i)
							.isEqualTo("line-" + i + " -> OK");
					}
				}
			}
			finally {
				handlers.release.countDown();
			}
			assertThat(server.stats().taskQueuePeak()).isLessThanOrEqualTo(BOUND);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(server.stats()).returns(0, ServerStats::taskingNum)
					.returns(0, ServerStats::taskRunning));
		});
	}

	/**
	 * Answers each line; the tasks of {@link #HOLD} lines wait until released, so that
	 * the queue fills up.
	 */
	static class HoldingHandlers {

		static final String HOLD = "hold-";

		final CountDownLatch release = new CountDownLatch(1);

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(String data) throws InterruptedException {
			if (data.startsWith(HOLD)) {
				this.release.await(30, TimeUnit.SECONDS);
			}
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
