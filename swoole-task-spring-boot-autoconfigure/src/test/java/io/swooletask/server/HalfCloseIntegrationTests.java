package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import reactor.netty.tcp.TcpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that sends lines and then half-closes, as {@code nc -q1} does, while the task queue fills up: the
 * server reads every line it was sent, answers each, and only then closes. (Failures close connections with
 * a warning, captured here.)
 */
@ExtendWith(OutputCaptureExtension.class)
class HalfCloseIntegrationTests {

	private static final int LINES = 2_000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(SampleHandlers.class)
		.withBean(TransportRecorder.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.task-worker-num=1",
				"swoole.server.task-queue-capacity=100", "swoole.server.open-eof-split=true",
				"swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

	@Test
	void clientThatHalfClosesAfterABurstGetsOneReplyPerLineBeforeTheServerCloses() {
		this.runner.run((context) -> {
			List<String> replies = new ArrayList<>();
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send(burst());
				client.socket().shutdownOutput();
				String reply = client.readLine();
				while (reply != null && replies.size() <= LINES) {
					replies.add(reply);
					reply = client.readLine();
				}
			}
			String transport = context.getBean(TransportRecorder.class).transports();
			assertThat(replies.size()).as("replies before the server closed the connection (%s, %d lines sent)",
					transport, LINES)
				.isEqualTo(LINES);
			Map<String, Long> counts = replies.stream()
				.collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
			for (int i = 0; i < LINES; i++) {
				assertThat(counts.get("line-" + i + " -> OK")).as("replies to line-%d", i).isEqualTo(1L);
			}
		});
	}

	/**
	 * Reading is paused and resumed for every connection, the half-closed one included, while its task runs.
	 */
	@Test
	void halfClosedClientGetsItsReplyAfterAnotherClientHasPausedAndResumedReading() {
		this.runner.withPropertyValues("swoole.server.task-worker-num=2").run((context) -> {
			SampleHandlers handlers = context.getBean(SampleHandlers.class);
			int port = context.getBean(SwooleServer.class).port();
			try (TestClient waiting = TestClient.connect(port); TestClient flooding = TestClient.connect(port)) {
				waiting.send(SampleHandlers.WAIT + "\n");
				waiting.socket().shutdownOutput();
				await().atMost(Duration.ofSeconds(10)).until(() -> handlers.waiting.getCount() == 0);
				flooding.send(burst());
				for (int i = 0; i < LINES; i++) {
					assertThat(flooding.readLine()).as("reply %d to the other client", i).endsWith(" -> OK");
				}
				handlers.release.countDown();
				assertThat(waiting.readLine()).as("the reply to the half-closed client").isEqualTo("wait -> OK");
				assertThat(waiting.readLine()).as("the end of the stream after it").isNull();
			}
			finally {
				handlers.release.countDown();
			}
		});
	}

	/**
	 * Another client's tasks wait on a blocked task worker and keep the queue above half, so reading stays
	 * paused after the half-closed client's first lines, and resumes only once they are released.
	 */
	@Test
	void linesWaitingForRoomInTheQueueAreStillAnsweredAfterTheClientHalfCloses() {
		this.runner.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				SampleHandlers handlers = context.getBean(SampleHandlers.class);
				ExecutorService reader = Executors.newSingleThreadExecutor();
				try (TestClient holding = TestClient.connect(server.port());
						TestClient halfClosing = TestClient.connect(server.port())) {
					StringBuilder held = new StringBuilder();
					for (int i = 0; i < SampleHandlers.HELD; i++) {
						held.append(SampleHandlers.HOLD).append(i).append('\n');
					}
					holding.send(held.toString());
					await().atMost(Duration.ofSeconds(10))
						.until(() -> server.stats().taskingNum() == SampleHandlers.HELD - 1);
					halfClosing.send(burst());
					halfClosing.socket().shutdownOutput();
					Queue<String> replies = new ConcurrentLinkedQueue<>();
					Future<?> reading = reader.submit(() -> {
						for (String reply = halfClosing.readLine(); reply != null; reply = halfClosing.readLine()) {
							replies.add(reply);
						}
					});
					// reading is paused: every task dispatched for the half-closed client is done
					await().atMost(Duration.ofSeconds(10))
						.until(() -> !replies.isEmpty() && server.stats().taskingNum() == SampleHandlers.HELD - 1
								&& replies.size() == server.stats().taskCount() - SampleHandlers.HELD);
					handlers.release.countDown();
					assertThat(reading).as("reading to the end of the stream").succeedsWithin(Duration.ofSeconds(20));
					assertThat(replies.size()).as("replies before the server closed the connection").isEqualTo(LINES);
					assertThat(replies).doesNotHaveDuplicates();
				}
				finally {
					handlers.release.countDown();
					reader.shutdownNow();
				}
			});
	}

	private static String burst() {
		StringBuilder burst = new StringBuilder();
		for (int i = 0; i < LINES; i++) {
			burst.append("line-").append(i).append('\n');
		}
		return burst.toString();
	}

	/**
	 * The sample application's handlers, with a little work per task so that the single task worker falls
	 * behind the event loop and the queue fills up. The task for {@link #WAIT} waits until released, and so
	 * do the tasks for lines starting with {@link #HOLD}, all sent to task worker 1.
	 */
	static class SampleHandlers {

		static final String WAIT = "wait";

		static final String HOLD = "hold-";

		/** How many {@link #HOLD} lines keep the queue above half: one runs, the others wait in the queue. */
		static final int HELD = 61;

		final CountDownLatch waiting = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@OnReceive
		void receive(SwooleServer server, String data) {
			if (data.startsWith(HOLD)) {
				server.task(data, 1);
			}
			else {
				server.task(data);
			}
		}

		@OnTask
		String task(String data) throws InterruptedException {
			if (WAIT.equals(data)) {
				this.waiting.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
			else if (data.startsWith(HOLD)) {
				this.release.await(30, TimeUnit.SECONDS);
			}
			else {
				LockSupport.parkNanos(20_000);
			}
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

	/**
	 * Records the class of every accepted channel, so that a failure says which Netty transport it ran on.
	 */
	static class TransportRecorder implements SwooleServerCustomizer {

		private final Queue<String> transports = new ConcurrentLinkedQueue<>();

		@Override
		public TcpServer apply(TcpServer server) {
			return server
				.doOnConnection((connection) -> this.transports.add(connection.channel().getClass().getSimpleName()));
		}

		String transports() {
			return String.join(", ", this.transports);
		}

	}

}
