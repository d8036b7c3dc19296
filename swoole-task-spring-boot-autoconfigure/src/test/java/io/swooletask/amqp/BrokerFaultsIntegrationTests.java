package io.swooletask.amqp;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.support.TestClient;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A TCP node and two worker nodes whose broker connections all go through a
 * {@link BrokerProxy} that cuts, stalls and resets them at random moments while clients
 * keep the nodes busy. Whatever the faults, every request is answered once, with its
 * result or a failure that names why; once the load is quiet, every capacity place is
 * back and the publisher holds nothing; once the faults end, a fresh batch completes. The
 * faults and the load follow a seed, printed, that {@code -Dswoole.faults.seed=} replays
 * (the faults' order and timing, not the threads' interleavings).
 */
class BrokerFaultsIntegrationTests {

	private static final int CAPACITY = 128;

	private static final Duration FAULTS = Duration.ofSeconds(15);

	private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

	private static final int CLIENTS = 6;

	private static final int WORKER_THREADS = 2;

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void everyRequestIsAnsweredOnceAndNothingLeaksWhileBrokerConnectionsBreak() throws Exception {
		long seed = Long.getLong("swoole.faults.seed", new SecureRandom().nextLong());
		System.out.println("BrokerFaultsIntegrationTests: -Dswoole.faults.seed=" + seed);
		Random random = new Random(seed);
		try (BrokerProxy proxy = BrokerProxy.start()) {
			try {
				ConfigurableApplicationContext origin = this.nodes.node("origin",
						properties(proxy, "swoole.server.task-worker-num=0",
								"swoole.server.task-queue-capacity=" + CAPACITY),
						(context) -> context.getBeanFactory().registerSingleton("failures", failureReplies()));
				List<AmqpTaskTransport> workers = new ArrayList<>();
				for (String worker : List.of("worker-a", "worker-b")) {
					workers.add(this.nodes
						.node(worker,
								properties(proxy, "swoole.server.listen=false",
										"swoole.server.task-worker-num=" + WORKER_THREADS,
										"spring.rabbitmq.listener.simple.prefetch=10"))
						.getBean(AmqpTaskTransport.class));
				}
				SwooleServer server = origin.getBean(SwooleServer.class);
				AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
				Answers answers = new Answers();
				Faults faults = new Faults(proxy, new Random(random.nextLong()));
				AtomicInteger publisherPeak = new AtomicInteger();
				faults.sample(() -> publisherPeak.accumulateAndGet(transport.publisherHeld(), Math::max));
				List<Future<?>> clients = new ArrayList<>();
				ExecutorService clientThreads = Executors.newFixedThreadPool(CLIENTS);
				for (int c = 0; c < CLIENTS; c++) {
					Client client = new Client("c" + c, server.port(), 1 + random.nextInt(64), answers);
					clients.add(clientThreads.submit(() -> client.run(faults::injecting, 500)));
				}
				faults.run(FAULTS);
				clientThreads.shutdown();
				for (Future<?> client : clients) {
					client.get(2, TimeUnit.MINUTES);
				}
				System.out
					.println("BrokerFaultsIntegrationTests: " + faults + ", " + answers + ", " + transport.counters());
				assertThat(answers.notAnsweredOnce()).as("requests not answered exactly once").isEmpty();
				assertThat(answers.unclearFailures()).as("failures that do not say why").isEmpty();
				assertThat(origin.getBean(ScaleOutApplication.Handlers.class).finishes).as("finish events delivered")
					.hasValue(answers.results());
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(server.stats().taskingNum()).as("capacity places taken").isZero());
				assertThat(transport.counters().awaitingReplies()).as("tasks awaiting replies").isZero();
				assertThat(transport.publisherHeld()).as("tasks held by the publisher").isZero();
				// a task whose end comes back before the broker's confirm of its publish
				// keeps its place in the
				// publishing window until the confirm: within the capacity and the
				// window, not the capacity
				assertThat(publisherPeak.get()).as("most tasks held by the publisher")
					.isLessThanOrEqualTo(CAPACITY + TaskPublisher.WINDOW);
				// a task the broker refused is not sent again once its end has come back
				// (the broker had it,
				// and it ran) or it timed out: it is settled, not published
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(() -> assertThat(transport.counters().published() + transport.publisherSettled()
							+ transport.counters().expired())
						.as("tasks published and confirmed, settled unconfirmed, or expired")
						.isEqualTo(server.stats().taskCount()));
				assertThat(transport.confirmingChannels()).as("reply channels tracked on the TCP node")
					.isLessThanOrEqualTo(1);
				for (AmqpTaskTransport worker : workers) {
					assertThat(worker.confirmingChannels()).as("reply channels tracked on a worker node")
						.isLessThanOrEqualTo(WORKER_THREADS + 1);
				}

				Answers fresh = new Answers();
				new Client("fresh", server.port(), 100, fresh).run(() -> true, 1);
				assertThat(fresh.notAnsweredOnce()).isEmpty();
				assertThat(fresh.results()).as("a fresh batch completes once the faults end").isEqualTo(100);
			}
			finally {
				this.nodes.close();
			}
		}
	}

	private static Map<String, Object> properties(BrokerProxy proxy, String... pairs) {
		Map<String, Object> properties = new HashMap<>();
		for (String pair : pairs) {
			int equals = pair.indexOf('=');
			properties.put(pair.substring(0, equals), pair.substring(equals + 1));
		}
		properties.put("spring.rabbitmq.addresses", proxy.address());
		properties.put("spring.rabbitmq.requested-heartbeat", "2s");
		properties.put("spring.rabbitmq.connection-timeout", "5s");
		properties.put("swoole.server.amqp.confirm-timeout", "2s");
		properties.put("swoole.server.amqp.reply-timeout", REPLY_TIMEOUT.toString());
		properties.put("swoole.server.shutdown-timeout", "5s");
		return properties;
	}

	/** Answers the client of a task that failed, naming the failure. */
	private static TaskErrorHandler failureReplies() {
		return (task, connection, exception) -> connection
			.send(((Job) task.data()).payload() + " -> FAILED " + exception.getClass().getSimpleName() + "\n");
	}

	/**
	 * Breaks a random connection through the proxy at random moments: cuts it, resets it,
	 * or stalls it and then resumes or cuts it.
	 */
	private static final class Faults {

		private final BrokerProxy proxy;

		private final Random random;

		private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

		private final Map<String, AtomicInteger> injected = new ConcurrentHashMap<>();

		private volatile boolean injecting = true;

		Faults(BrokerProxy proxy, Random random) {
			this.proxy = proxy;
			this.random = random;
		}

		boolean injecting() {
			return this.injecting;
		}

		void sample(Runnable sampler) {
			this.scheduler.scheduleAtFixedRate(sampler, 0, 50, TimeUnit.MILLISECONDS);
		}

		/**
		 * Injects faults for a while, then resumes every stalled connection.
		 */
		void run(Duration duration) throws InterruptedException {
			this.scheduler.schedule(this::next, nextDelayMillis(), TimeUnit.MILLISECONDS);
			this.scheduler.schedule(() -> this.injecting = false, duration.toMillis(), TimeUnit.MILLISECONDS);
			await().atMost(duration.plusSeconds(10)).until(() -> !this.injecting);
			this.scheduler.shutdownNow();
			this.scheduler.awaitTermination(10, TimeUnit.SECONDS);
			this.proxy.resumeAll();
		}

		private void next() {
			if (!this.injecting) {
				return;
			}
			BrokerProxy.Link link = this.proxy.pick(this.random);
			int kind = this.random.nextInt(3);
			if (link != null) {
				if (kind == 0) {
					count("cut");
					this.proxy.cut(link);
				}
				else if (kind == 1) {
					count("reset");
					this.proxy.reset(link);
				}
				else {
					count("stall");
					this.proxy.stall(link);
					boolean thenCut = this.random.nextBoolean();
					this.scheduler.schedule(() -> {
						if (thenCut) {
							this.proxy.cut(link);
						}
						else {
							this.proxy.resume(link);
						}
					}, 500 + this.random.nextInt(3000), TimeUnit.MILLISECONDS);
				}
			}
			this.scheduler.schedule(this::next, nextDelayMillis(), TimeUnit.MILLISECONDS);
		}

		private long nextDelayMillis() {
			return 200 + this.random.nextInt(1500);
		}

		private void count(String fault) {
			this.injected.computeIfAbsent(fault, (name) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public String toString() {
			return "faults " + this.injected + " over " + this.proxy.accepted() + " broker connections";
		}

	}

	/**
	 * One client connection: sends {@code depth} requests at once, reads as many answers,
	 * and again.
	 */
	private static final class Client {

		private final String name;

		private final int port;

		private final int depth;

		private final Answers answers;

		Client(String name, int port, int depth, Answers answers) {
			this.name = name;
			this.port = port;
			this.depth = depth;
			this.answers = answers;
		}

		void run(BooleanSupplier going, int maxRounds) {
			Duration silence = REPLY_TIMEOUT.plusSeconds(15);
			try (TestClient client = TestClient.connect(this.port, silence)) {
				for (int round = 0; round < maxRounds && going.getAsBoolean(); round++) {
					StringBuilder lines = new StringBuilder();
					for (int i = 0; i < this.depth; i++) {
						String payload = this.name + "-" + round + "-" + i;
						this.answers.sent(payload);
						lines.append("T ").append(payload).append('\n');
					}
					client.send(lines.toString());
					for (int i = 0; i < this.depth; i++) {
						String answer = client.readLine();
						assertThat(answer).as("answer %d of round %d on %s", i, round, this.name).isNotNull();
						this.answers.received(answer);
					}
				}
			}
		}

	}

	/**
	 * What the clients sent and the answers they got, by payload.
	 */
	private static final class Answers {

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		private final Set<String> unclear = ConcurrentHashMap.newKeySet();

		private final AtomicInteger results = new AtomicInteger();

		private final AtomicInteger failures = new AtomicInteger();

		void sent(String payload) {
			this.counts.put(payload, new AtomicInteger());
		}

		void received(String answer) {
			int arrow = answer.indexOf(" -> ");
			String payload = answer.substring(0, arrow);
			String outcome = answer.substring(arrow + 4);
			this.counts.computeIfAbsent(payload, (unknown) -> new AtomicInteger()).incrementAndGet();
			if (outcome.startsWith("OK @")) {
				this.results.incrementAndGet();
			}
			else {
				this.failures.incrementAndGet();
				if (!outcome.equals("FAILED TaskTimeoutException") && !outcome.equals("FAILED TaskFailedException")) {
					this.unclear.add(answer);
				}
			}
		}

		Map<String, Integer> notAnsweredOnce() {
			Map<String, Integer> wrong = new HashMap<>();
			this.counts.forEach((payload, count) -> {
				if (count.get() != 1) {
					wrong.put(payload, count.get());
				}
			});
			return wrong;
		}

		Set<String> unclearFailures() {
			return this.unclear;
		}

		int results() {
			return this.results.get();
		}

		@Override
		public String toString() {
			return this.counts.size() + " requests, " + this.results + " results, " + this.failures + " failures";
		}

	}

}
