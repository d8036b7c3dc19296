package io.swooletask.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code taskOrdered(key, data)} over real sockets: tasks with equal keys run one at a
 * time in the order they were dispatched, and tasks with other keys run beside them.
 */
class OrderedTasksIntegrationTests {

	private static final Long SEED = Long.getLong("swoole.ordered.seed");

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(OrderedHandlers.class)
		.withPropertyValues("swoole.server.task-worker-num=4", "swoole.server.open-eof-split=true",
				"swoole.server.package-eof=;");

	/**
	 * Clients pipeline lines under a few keys each, and each task parks for a random
	 * moment drawn from the printed seed, so that workers finish out of step: each key's
	 * tasks still run one at a time, in the order each client sent them, and every line
	 * is answered once.
	 */
	@Test
	void tasksWithEqualKeysRunOneAtATimeInTheOrderTheyWereDispatched() {
		long seed = (SEED != null) ? SEED : new Random().nextLong();
		System.out
			.println("OrderedTasksIntegrationTests seed " + seed + " (replay with -Dswoole.ordered.seed=" + seed + ")");
		Random random = new Random(seed);
		int clients = 3;
		int keysPerClient = 3;
		int linesPerKey = 60;
		this.runner.run((context) -> {
			OrderedHandlers handlers = context.getBean(OrderedHandlers.class);
			int port = context.getBean(SwooleServer.class).port();
			List<TestClient> connections = new ArrayList<>();
			try {
				for (int c = 0; c < clients; c++) {
					TestClient client = TestClient.connect(port);
					connections.add(client);
					StringBuilder burst = new StringBuilder();
					for (int line = 0; line < linesPerKey; line++) {
						for (int k = 0; k < keysPerClient; k++) {
							burst.append("c")
								.append(c)
								.append("k")
								.append(k)
								.append(' ')
								.append(line)
								.append(' ')
								.append(random.nextInt(200_000))
								.append(';');
						}
					}
					client.send(burst.toString());
				}
				for (TestClient client : connections) {
					for (int i = 0; i < keysPerClient * linesPerKey; i++) {
						assertThat(client.readLine()).as("reply %d", i).endsWith(" done");
					}
				}
			}
			finally {
				connections.forEach(TestClient::close);
			}
			assertThat(handlers.overlaps).as("tasks of one key that ran at once").isEmpty();
			assertThat(handlers.runs).hasSize(clients * keysPerClient);
			handlers.runs.forEach((key, lines) -> assertThat(lines).as("the lines of key %s as they ran", key)
				.containsExactlyElementsOf(range(linesPerKey)));
		});
	}

	/**
	 * The task for key {@code a} waits until the task for key {@code b}, dispatched after
	 * it, has started: it can only end if they run at once. (On two workers, these two
	 * keys fall on different ones.)
	 */
	@Test
	void tasksWithOtherKeysRunBesideEachOther() {
		this.runner.withPropertyValues("swoole.server.task-worker-num=2").run((context) -> {
			OrderedHandlers handlers = context.getBean(OrderedHandlers.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("a " + OrderedHandlers.AWAIT_B + " 0;b 0 0;");
				assertThat(List.of(client.readLine(), client.readLine())).containsExactlyInAnyOrder("b 0 done",
						"a " + OrderedHandlers.AWAIT_B + " done");
			}
			assertThat(handlers.sawB).as("the task for a saw the task for b start while it waited").isTrue();
		});
	}

	private static List<Integer> range(int count) {
		List<Integer> range = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			range.add(i);
		}
		return range;
	}

	/**
	 * Each message is {@code <key> <line> <park nanos>}: dispatched with its key as the
	 * order; the task records the lines of each key in the order they ran, and any two
	 * tasks of one key that ran at once.
	 */
	static class OrderedHandlers {

		static final int AWAIT_B = -1;

		final Map<String, Queue<Integer>> runs = new ConcurrentHashMap<>();

		final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

		final Queue<String> overlaps = new ConcurrentLinkedQueue<>();

		final CountDownLatch bStarted = new CountDownLatch(1);

		volatile boolean sawB;

		@OnReceive
		void receive(SwooleServer server, String message) {
			server.taskOrdered(message.substring(0, message.indexOf(' ')), message);
		}

		@OnTask
		String task(String message) throws InterruptedException {
			String[] parts = message.split(" ");
			String key = parts[0];
			int line = Integer.parseInt(parts[1]);
			if (this.running.computeIfAbsent(key, (k) -> new AtomicInteger()).incrementAndGet() > 1) {
				this.overlaps.add(message);
			}
			try {
				if (key.equals("b")) {
					this.bStarted.countDown();
				}
				if (line == AWAIT_B) {
					this.sawB = this.bStarted.await(10, TimeUnit.SECONDS);
				}
				else {
					LockSupport.parkNanos(Long.parseLong(parts[2]));
					this.runs.computeIfAbsent(key, (k) -> new ConcurrentLinkedQueue<>()).add(line);
				}
			}
			finally {
				this.running.get(key).decrementAndGet();
			}
			return key + " " + line + " done";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
