package io.swooletask.server;

import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A producer faster than the pool: the queue stays bounded, and every accepted task is answered once.
 */
class OverloadIntegrationTests {

	private static final int REQUESTS = 200_000;

	private static final int CAPACITY = 1000;

	private static final int WORKER_NUM = 2;

	/**
	 * How far past its capacity the queue may go under backpressure when each message dispatches one
	 * task: one task per event loop, from the messages each loop has decoded when reading stops.
	 */
	private static final int BACKPRESSURE_EXCESS = WORKER_NUM;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(SlowEchoHandlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=" + WORKER_NUM,
				"swoole.server.task-worker-num=2", "swoole.server.task-queue-capacity=" + CAPACITY,
				"swoole.server.open-eof-split=true",
				"swoole.server.package-eof=#");

	@Test
	void pipelinedFloodIsSlowedByTcpAndEveryRequestAnsweredOnce() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			Flood flood = flood(server);
			assertThat(flood.answered.cardinality()).isEqualTo(REQUESTS);
			assertThat(flood.duplicates.get()).isZero();
			assertThat(flood.rejected.get()).isZero();
			// the queue did fill (the flood outran the pool), and stayed within its bound
			assertThat(server.stats().taskQueuePeak()).isGreaterThan(CAPACITY / 2)
				.isLessThanOrEqualTo(CAPACITY + BACKPRESSURE_EXCESS);
			assertThat(server.stats().taskCount()).isEqualTo(REQUESTS);
		});
	}

	@Test
	void rejectPolicyCountsRejectionsAndLosesNoAcceptedTask() {
		this.runner.withPropertyValues("swoole.server.task-overflow=reject").run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			Flood flood = flood(server);
			assertThat(flood.answered.cardinality() + flood.rejected.get()).isEqualTo(REQUESTS);
			assertThat(flood.duplicates.get()).isZero();
			assertThat(flood.rejected.get()).isPositive().isEqualTo(server.stats().taskRejected());
			assertThat(server.stats().taskCompleted()).isEqualTo(flood.answered.cardinality());
			// a rejecting queue takes a task only into a free place: never past its capacity
			assertThat(server.stats().taskQueuePeak()).isPositive().isLessThanOrEqualTo(CAPACITY);
		});
	}

	@Test
	void taskOffTheEventLoopWaitsForRoomThenIsRejected() {
		this.runner.withPropertyValues("swoole.server.task-queue-capacity=2", "swoole.server.task-enqueue-timeout=200ms")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				CountDownLatch release = new CountDownLatch(1);
				try {
					for (int i = 0; i < 4; i++) {
						server.task(release);
					}
					assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> server.task("more"))
						.withMessageContaining("stayed full for PT0.2S")
						.withMessageContaining("swoole.server.task-enqueue-timeout");
					assertThat(server.stats().taskRejected()).isOne();
				}
				finally {
					release.countDown();
				}
				assertThat(server.<String>taskwait("after", Duration.ofSeconds(10))).isEqualTo("after");
			});
	}

	private static Flood flood(SwooleServer server) throws InterruptedException {
		Flood flood = new Flood();
		try (TestClient client = TestClient.connect(server.port())) {
			Thread writer = new Thread(() -> {
				StringBuilder batch = new StringBuilder();
				for (int i = 0; i < REQUESTS; i++) {
					batch.append(i).append('#');
					if (batch.length() > 8192 || i == REQUESTS - 1) {
						client.send(batch.toString());
						batch.setLength(0);
					}
				}
			}, "flood-writer");
			writer.start();
			for (int i = 0; i < REQUESTS; i++) {
				String reply = client.readLine();
				if (reply.startsWith("rejected ")) {
					flood.rejected.incrementAndGet();
					continue;
				}
				int n = Integer.parseInt(reply);
				if (flood.answered.get(n)) {
					flood.duplicates.incrementAndGet();
				}
				flood.answered.set(n);
			}
			writer.join(10_000);
		}
		return flood;
	}

	static final class Flood {

		final BitSet answered = new BitSet(REQUESTS);

		final AtomicInteger duplicates = new AtomicInteger();

		final AtomicInteger rejected = new AtomicInteger();

	}

	static class SlowEchoHandlers {

		@OnReceive
		void receive(SwooleServer server, Connection connection, String data) {
			try {
				server.task(data);
			}
			catch (TaskRejectedException ex) {
				connection.send("rejected " + data + "\n");
			}
		}

		@OnTask
		String task(String data) {
			// a little work per task, so that the pool is slower than the event loop
			LockSupport.parkNanos(20_000);
			return data;
		}

		@OnTask
		String block(CountDownLatch release) throws InterruptedException {
			release.await(30, TimeUnit.SECONDS);
			return "released";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			if (connection != null) {
				connection.send(result + "\n");
			}
		}

	}

}
