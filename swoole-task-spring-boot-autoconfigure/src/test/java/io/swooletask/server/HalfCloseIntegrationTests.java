package io.swooletask.server;

import java.io.IOException;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import reactor.netty.tcp.TcpServer;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that sends lines and then half-closes, as {@code nc -q1} does, while the task
 * queue fills up: the server reads every line it was sent, answers each, and only then
 * closes. (Failures close connections with a warning, captured here.)
 */
@ExtendWith(OutputCaptureExtension.class)
class HalfCloseIntegrationTests {

	private static final int LINES = 2_000;

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(SampleHandlers.class)
		.withBean(TransportRecorder.class)
		.withPropertyValues("swoole.server.task-worker-num=1", "swoole.server.task-queue-capacity=100",
				"swoole.server.open-eof-split=true", "swoole.server.shutdown-timeout=5s")
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
			assertThat(replies.size())
				.as("replies before the server closed the connection (%s, %d lines sent)", transport, LINES)
				.isEqualTo(LINES);
			Map<String, Long> counts = replies.stream()
				.collect(Collectors.groupingBy(Function.identity(), HashMap::new, Collectors.counting()));
			for (int i = 0; i < LINES; i++) {
				assertThat(counts.get("line-" + i + " -> OK")).as("replies to line-%d", i).isEqualTo(1L);
			}
		});
	}

	/**
	 * Reading is paused and resumed for every connection, the half-closed one included,
	 * while its task runs.
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
	 * Another client's tasks wait on a blocked task worker and keep the queue above half,
	 * so reading stays paused after the half-closed client's first lines, and resumes
	 * only once they are released.
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
					// reading is paused: every task dispatched for the half-closed client
					// is done
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

	/**
	 * The replies, 8 MB in all, are more than the socket buffers take: the client
	 * half-closes once the server holds replies it cannot send yet, and reads only after
	 * the last task has ended.
	 */
	@Test
	void slowReaderThatHalfClosesGetsEveryLargeReplyBeforeTheServerCloses() {
		this.runner.withPropertyValues("swoole.server.buffer-output-size=16MB").run((context) -> {
			TransportRecorder connections = context.getBean(TransportRecorder.class);
			assertEveryLargeReplyReachesASlowReader(context.getBean(SwooleServer.class),
					context.getBean(SampleHandlers.class), () -> await().atMost(Duration.ofSeconds(10))
						.until(() -> connections.channels.stream().anyMatch(HalfCloseIntegrationTests::holdsOutput)));
		});
	}

	/**
	 * As above, but the client half-closes before the replies back up: for a moment the
	 * channel waits for no event at all, which Netty's epoll transport gets wrong.
	 */
	@Test
	void slowReaderThatHalfClosesBeforeItsRepliesBackUpGetsEveryLargeReplyBeforeTheServerCloses() {
		this.runner.withPropertyValues("swoole.server.buffer-output-size=16MB").run((context) -> {
			assertEveryLargeReplyReachesASlowReader(context.getBean(SwooleServer.class),
					context.getBean(SampleHandlers.class), () -> {
					});
			assertThat(context.getBean(TransportRecorder.class).transports()).isEqualTo("NioSocketChannel");
		});
	}

	/**
	 * The same client on the epoll transport, which a user may turn on: a reply Netty
	 * loses there is never lost without a line saying so.
	 */
	@Test
	void onTheEpollTransportAReplyLostToNettyIsLogged(CapturedOutput output) {
		Assumptions.assumeTrue(Epoll.isAvailable(), "epoll is available");
		this.runner.withPropertyValues("swoole.server.buffer-output-size=16MB", "swoole.server.native-transport=true")
			.run((context) -> {
				SampleHandlers handlers = context.getBean(SampleHandlers.class);
				List<String> replies = new ArrayList<>();
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					client.send(burst(SampleHandlers.LARGE));
					client.socket().shutdownOutput();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> handlers.finished.get() == LINES || output.getAll().contains(" write failed"));
					for (String reply = client.readLine(); reply != null; reply = client.readLine()) {
						replies.add(reply);
					}
				}
				assertThat(context.getBean(TransportRecorder.class).transports()).isEqualTo("EpollSocketChannel");
				if (replies.size() < LINES) {
					assertThat(output).contains("Netty shut its output down after a write failed")
						.contains("swoole.server.native-transport");
				}
				else {
					assertThat(replies).hasSize(LINES);
				}
			});
	}

	private static void assertEveryLargeReplyReachesASlowReader(SwooleServer server, SampleHandlers handlers,
			Runnable beforeHalfClose) throws IOException {
		List<String> replies = new ArrayList<>();
		try (TestClient client = TestClient.connect(server.port())) {
			client.send(burst(SampleHandlers.LARGE));
			beforeHalfClose.run();
			client.socket().shutdownOutput();
			await().atMost(Duration.ofSeconds(10)).until(() -> handlers.finished.get() == LINES);
			for (String reply = client.readLine(); reply != null
					&& replies.size() <= LINES; reply = client.readLine()) {
				replies.add(reply);
			}
		}
		// the replies are too long for a failure to list them
		assertThat(replies.size()).as("replies before the server closed the connection").isEqualTo(LINES);
		assertThat(replies.stream().distinct().count()).as("distinct replies").isEqualTo(LINES);
		assertThat(replies.stream().allMatch((reply) -> reply.length() > SampleHandlers.LARGE_SIZE))
			.as("every reply whole")
			.isTrue();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(server.stats()).returns(0, ServerStats::taskingNum)
				.returns(0, ServerStats::taskRunning)
				.returns(0, ServerStats::connectionNum));
	}

	/**
	 * Whether replies wait in the channel's output because the socket buffer is full:
	 * more of them than the server's flush consolidation (256 writes) ever holds back.
	 */
	private static boolean holdsOutput(Channel channel) {
		long pending = channel.config().getWriteBufferHighWaterMark() - channel.bytesBeforeUnwritable();
		return pending > 512L * SampleHandlers.LARGE_SIZE;
	}

	private static String burst() {
		return burst("");
	}

	private static String burst(String prefix) {
		StringBuilder burst = new StringBuilder();
		for (int i = 0; i < LINES; i++) {
			burst.append(prefix).append("line-").append(i).append('\n');
		}
		return burst.toString();
	}

	/**
	 * The sample application's handlers, with a little work per task so that the single
	 * task worker falls behind the event loop and the queue fills up. The task for
	 * {@link #WAIT} waits until released, and so do the tasks for lines starting with
	 * {@link #HOLD}, all sent to task worker 1.
	 */
	static class SampleHandlers {

		static final String WAIT = "wait";

		static final String HOLD = "hold-";

		/** Marks a line whose reply is {@link #LARGE_SIZE} bytes longer. */
		static final String LARGE = "large-";

		static final int LARGE_SIZE = 4096;

		final AtomicInteger finished = new AtomicInteger();

		/**
		 * How many {@link #HOLD} lines keep the queue above half: one runs, the others
		 * wait in the queue.
		 */
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
			return data.startsWith(LARGE) ? data + " -> OK " + "x".repeat(LARGE_SIZE) : data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
			this.finished.incrementAndGet();
		}

	}

	/**
	 * Records the class of every accepted channel, so that a failure says which Netty
	 * transport it ran on.
	 */
	static class TransportRecorder implements SwooleServerCustomizer {

		private final Queue<String> transports = new ConcurrentLinkedQueue<>();

		final Queue<Channel> channels = new ConcurrentLinkedQueue<>();

		@Override
		public TcpServer apply(TcpServer server) {
			return server.doOnConnection((connection) -> {
				this.transports.add(connection.channel().getClass().getSimpleName());
				this.channels.add(connection.channel());
			});
		}

		String transports() {
			return String.join(", ", this.transports);
		}

	}

}
