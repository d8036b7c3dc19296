package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.PipeliningClient;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A producer faster than the pool: the queue stays bounded, and every accepted task is
 * answered once; with a queue so small that reading pauses and resumes all the time, the
 * server never stops reading for good.
 */
class OverloadIntegrationTests {

	private static final int REQUESTS = 200_000;

	private static final int CAPACITY = 1000;

	private static final int WORKER_NUM = 2;

	/**
	 * How far past its capacity the queue may go under backpressure when each message
	 * dispatches one task: one task per event loop, from the messages each loop has
	 * decoded when reading stops.
	 */
	private static final int BACKPRESSURE_EXCESS = WORKER_NUM;

	/** So small that reading pauses and resumes about once per task. */
	private static final int STALL_CAPACITY = 4;

	private static final int CONNECTIONS = 128;

	private static final int IN_FLIGHT = 16;

	/**
	 * Requests per connection, at most: the load ends at this count or at
	 * {@link #LOAD_TIME}.
	 */
	private static final int REQUESTS_PER_CONNECTION = 5_000;

	private static final Duration LOAD_TIME = Duration.ofSeconds(15);

	/**
	 * How long no reply at all may come while requests are outstanding before the server
	 * counts as stalled.
	 */
	private static final Duration STALL = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(SlowEchoHandlers.class)
		.withPropertyValues("swoole.server.worker-num=" + WORKER_NUM, "swoole.server.task-worker-num=2",
				"swoole.server.task-queue-capacity=" + CAPACITY, "swoole.server.open-eof-split=true",
				"swoole.server.package-eof=#");

	/**
	 * Many pipelining clients, line-framed, against a queue of {@link #STALL_CAPACITY}.
	 */
	private final ApplicationContextRunner stallRunner = SwooleContextRunner.create()
		.withBean(EchoTaskHandlers.class)
		.withPropertyValues("swoole.server.worker-num=" + WORKER_NUM, "swoole.server.task-worker-num=2",
				"swoole.server.task-queue-capacity=" + STALL_CAPACITY, "swoole.server.open-eof-split=true",
				"swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

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
			// a rejecting queue takes a task only into a free place: never past its
			// capacity
			assertThat(server.stats().taskQueuePeak()).isPositive().isLessThanOrEqualTo(CAPACITY);
		});
	}

	@Test
	void taskOffTheEventLoopWaitsForRoomThenIsRejected() {
		this.runner
			.withPropertyValues("swoole.server.task-queue-capacity=2", "swoole.server.task-enqueue-timeout=200ms")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				CountDownLatch release = new CountDownLatch(1);
				try {
					// both workers hold a task, and their places are given back: the
					// next two fill the queue without waiting for room
					server.task(release);
					server.task(release);
					await().atMost(Duration.ofSeconds(30))
						.until(() -> server.stats().taskRunning() == 2 && server.stats().taskingNum() == 0);
					server.task(release);
					server.task(release);
					await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().taskingNum() == 2);
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

	@Test
	void readingResumesEveryTimeTheQueueDrainsSoEveryPipelinedRequestIsAnsweredOnce() {
		this.stallRunner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			List<PipeliningClient> clients = new ArrayList<>();
			ExecutorService readers = Executors.newFixedThreadPool(CONNECTIONS);
			try {
				long sendUntil = System.nanoTime() + LOAD_TIME.toNanos();
				for (int c = 0; c < CONNECTIONS; c++) {
					PipeliningClient client = PipeliningClient.connect(server.port(), "c" + c + "-", IN_FLIGHT,
							REQUESTS_PER_CONNECTION, sendUntil);
					clients.add(client);
					readers.execute(client);
				}
				awaitEveryReply(server, clients, System.nanoTime());
				for (PipeliningClient client : clients) {
					assertThat(client.duplicates()).as("duplicate replies on %s", client).isZero();
					assertThat(client.unexpected()).as("replies to no request on %s", client).isEmpty();
					assertThat(client.answered()).as("answered on %s", client).isEqualTo(client.sent());
				}
				long sent = clients.stream().mapToLong(PipeliningClient::sent).sum();
				assertThat(server.stats().taskCount()).isEqualTo(sent);
			}
			finally {
				clients.forEach(PipeliningClient::close);
				readers.shutdownNow();
				readers.awaitTermination(10, TimeUnit.SECONDS);
			}
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

	/**
	 * Waits until every client has had a reply to every request it sent, failing as soon
	 * as no reply comes for {@link #STALL} while some are outstanding.
	 */
	private static void awaitEveryReply(SwooleServer server, List<PipeliningClient> clients, long startNanos) {
		long answered = -1;
		while (true) {
			long before = answered;
			try {
				await().atMost(STALL)
					.pollInterval(Duration.ofMillis(50))
					.failFast(() -> clients
						.forEach((client) -> assertThat(client.failure()).as("%s stopped early", client).isNull()))
					.until(() -> allDone(clients) || answered(clients) != before);
			}
			catch (ConditionTimeoutException ex) {
				long sent = clients.stream().mapToLong(PipeliningClient::sent).sum();
				long unanswered = sent - answered(clients);
				long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
				fail("The server stopped reading: " + unanswered + " of " + sent + " requests sent are unanswered and"
						+ " no reply came for " + STALL.toSeconds() + " s, with " + server.stats().taskingNum() + " of "
						+ STALL_CAPACITY + " task queue places taken and " + server.stats().taskCompleted()
						+ " tasks completed (" + seconds + " s into the load)");
			}
			if (allDone(clients)) {
				return;
			}
			answered = answered(clients);
		}
	}

	private static boolean allDone(List<PipeliningClient> clients) {
		return clients.stream().allMatch(PipeliningClient::isDone);
	}

	private static long answered(List<PipeliningClient> clients) {
		return clients.stream().mapToLong(PipeliningClient::answered).sum();
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
