package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Handlers;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Spring Boot's {@code spring.rabbitmq.listener.*} settings and
 * {@code ContainerCustomizer} beans reach the transport's listener containers, except the
 * settings the transport relies on, which it sets after them; the task workers run on
 * virtual threads with {@code spring.threads.virtual.enabled}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutListenerSettingsTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void springBootsPrefetchIsWhatATaskWorkerTakesAhead() throws Exception {
		assertThat(tasksLeftReadyBehindOneBusyWorker(20, "spring.rabbitmq.listener.simple.prefetch", "7"))
			.isEqualTo(21 - 7);
	}

	@Test
	void taskWorkersTakeFiftyAheadWhenSpringBootsPrefetchIsUnset() throws Exception {
		assertThat(tasksLeftReadyBehindOneBusyWorker(60)).isEqualTo(61 - 50);
	}

	@Test
	void deprecatedPrefetchStillAppliesWithAWarningNamingItsReplacement(CapturedOutput output) throws Exception {
		assertThat(tasksLeftReadyBehindOneBusyWorker(20, "swoole.server.amqp.prefetch", "3",
				"spring.rabbitmq.listener.simple.prefetch", "7"))
			.isEqualTo(21 - 3);
		assertThat(output).containsOnlyOnce("swoole.server.amqp.prefetch is deprecated and will be removed: set"
				+ " spring.rabbitmq.listener.simple.prefetch instead");
	}

	@Test
	void listenerSettingsTheTransportReliesOnAreNotChangedBySpringBootsProperties(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext node = this.nodes.node("both",
				properties("swoole.server.task-worker-num", "2", "spring.rabbitmq.listener.simple.acknowledge-mode",
						"auto", "spring.rabbitmq.listener.simple.retry.enabled", "true",
						"spring.rabbitmq.listener.simple.retry.max-attempts", "3",
						"spring.rabbitmq.listener.simple.default-requeue-rejected", "true",
						"spring.rabbitmq.listener.simple.concurrency", "4",
						"spring.rabbitmq.listener.simple.max-concurrency", "6",
						"spring.rabbitmq.listener.simple.consumer-batch-enabled", "true",
						"spring.rabbitmq.listener.simple.force-stop", "true",
						"spring.rabbitmq.listener.direct.acknowledge-mode", "manual",
						"spring.rabbitmq.listener.direct.consumers-per-queue", "3"),
				(context) -> ((GenericApplicationContext) context).registerBean(AutoAcknowledging.class));
		SwooleServer server = node.getBean(SwooleServer.class);
		Handlers handlers = node.getBean(Handlers.class);
		// more than the reply container's prefetch (250): replies it did not acknowledge
		// would stop coming
		List<CompletableFuture<Object>> tasks = new ArrayList<>();
		for (int i = 0; i < 400; i++) {
			tasks.add(server.taskAsync(new Job("t" + i, 0)));
		}
		CompletableFuture<Object> failing = server.taskAsync(new Job("fail", 0));
		for (int i = 0; i < tasks.size(); i++) {
			assertThat(tasks.get(i).get(1, TimeUnit.MINUTES)).isEqualTo(new Done("t" + i + " -> OK", "both"));
		}
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.get(1, TimeUnit.MINUTES))
			.withCauseInstanceOf(TaskFailedException.class);
		assertThat(handlers.runs).hasSize(401).allSatisfy((id, runs) -> assertThat(runs).hasValue(1));
		assertThat(node.getBean(AmqpTaskTransport.class).counters().redelivered()).isZero();
		assertThat(consumers(this.nodes.taskQueue)).as("consumers of the work queue").isEqualTo(2);
		assertThat(consumers(node.getBean(AmqpTaskTransport.class).replyQueue())).as("consumers of the reply queue")
			.isEqualTo(1);
		assertThat(output).doesNotContain("PRECONDITION_FAILED")
			.doesNotContain("unknown delivery tag")
			.doesNotContain("Consumer failed to start");
	}

	@Test
	void containerCustomizersAreAppliedToTheTransportsContainers() throws Exception {
		CountingSimple simple = new CountingSimple();
		CountingDirect direct = new CountingDirect();
		Map<String, Object> settings = new HashMap<>(properties("swoole.server.task-worker-num", "2"));
		settings.put("swoole.server.amqp.ordered-partitions", "2");
		ConfigurableApplicationContext node = this.nodes.node("both", settings, (context) -> {
			((GenericApplicationContext) context).registerBean(CountingSimple.class, () -> simple);
			((GenericApplicationContext) context).registerBean(CountingDirect.class, () -> direct);
		});
		SwooleServer server = node.getBean(SwooleServer.class);
		for (int i = 0; i < 10; i++) {
			assertThat(server.<Done>taskwait(new Job("t" + i, 0), Duration.ofSeconds(30)).text())
				.isEqualTo("t" + i + " -> OK");
		}
		String replyQueue = node.getBean(AmqpTaskTransport.class).replyQueue();
		assertThat(simple.containers).containsExactlyInAnyOrder("swoole-task-workers " + this.nodes.taskQueue,
				"swoole-ordered-task-workers-0 " + this.nodes.taskQueue + ".ordered.0",
				"swoole-ordered-task-workers-1 " + this.nodes.taskQueue + ".ordered.1",
				"swoole-dead-tasks " + this.nodes.taskQueue + ".dead");
		assertThat(direct.containers).containsExactlyInAnyOrder("swoole-task-replies " + replyQueue,
				"swoole-node-messages " + replyQueue.replace(".replies.", ".node."));
		assertThat(simple.received).hasValue(10);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(direct.received).hasValue(10));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21,
			disabledReason = "virtual threads need Java 21; .ci/run runs this on its" + " JDK 21+ pass")
	void taskWorkersRunOnVirtualThreadsWithSpringBootsSwitch() throws Exception {
		ConfigurableApplicationContext node = this.nodes.node("both",
				properties("swoole.server.task-worker-num", "2", "spring.threads.virtual.enabled", "true"),
				(context) -> ((GenericApplicationContext) context).registerBean(ThreadReporter.class));
		SwooleServer server = node.getBean(SwooleServer.class);
		for (int i = 0; i < 4; i++) {
			assertThat(server.<String>taskwait(new ThreadProbe(), Duration.ofSeconds(30)))
				.startsWith("virtual swoole-task-worker-");
		}
	}

	/**
	 * Dispatches a task that holds the one task worker of a node, then more tasks, and
	 * counts the tasks left ready in the work queue once the worker has taken what its
	 * prefetch lets it take: once the broker has confirmed every task, and two reads of
	 * the count half a second apart agree.
	 */
	private long tasksLeftReadyBehindOneBusyWorker(int behind, String... properties) throws Exception {
		Map<String, Object> all = properties(properties);
		all.put("swoole.server.task-worker-num", "1");
		ConfigurableApplicationContext node = this.nodes.node("both", all);
		Handlers handlers = node.getBean(Handlers.class);
		SwooleServer server = node.getBean(SwooleServer.class);
		AmqpTaskTransport transport = node.getBean(AmqpTaskTransport.class);
		List<CompletableFuture<Object>> tasks = new ArrayList<>();
		long ready;
		try {
			tasks.add(server.taskAsync(new Job("hang", 0)));
			await().atMost(Duration.ofSeconds(30)).until(() -> !handlers.runs.isEmpty());
			for (int i = 0; i < behind; i++) {
				tasks.add(server.taskAsync(new Job("behind", 0)));
			}
			// every task on the broker: read before, the count still grows
			await().atMost(Duration.ofSeconds(30))
				.until(() -> transport.counters().published() == behind + 1 && transport.publisherHeld() == 0);
			AtomicLong lastRead = new AtomicLong(-1);
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
				long now = RabbitBroker.ready(this.nodes.taskQueue);
				return now == lastRead.getAndSet(now);
			});
			ready = lastRead.get();
			await().during(Duration.ofMillis(500))
				.atMost(Duration.ofSeconds(5))
				.until(() -> RabbitBroker.ready(this.nodes.taskQueue) == ready);
		}
		finally {
			handlers.hang.countDown();
		}
		for (CompletableFuture<Object> task : tasks) {
			task.get(30, TimeUnit.SECONDS);
		}
		return ready;
	}

	private static long consumers(String queue) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(RabbitBroker.HOST, RabbitBroker.PORT);
		try {
			return new RabbitAdmin(connectionFactory).getQueueInfo(queue).getConsumerCount();
		}
		finally {
			connectionFactory.destroy();
		}
	}

	private static Map<String, Object> properties(String... pairs) {
		Map<String, Object> properties = new HashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			properties.put(pairs[i], pairs[i + 1]);
		}
		return properties;
	}

	/**
	 * A customizer that asks for automatic acknowledgement, which the task workers must
	 * not get.
	 */
	static class AutoAcknowledging implements ContainerCustomizer<SimpleMessageListenerContainer> {

		@Override
		public void configure(SimpleMessageListenerContainer container) {
			container.setAcknowledgeMode(AcknowledgeMode.AUTO);
		}

	}

	/**
	 * Records the simple containers it customizes and counts the messages they receive.
	 */
	static class CountingSimple implements ContainerCustomizer<SimpleMessageListenerContainer> {

		final Queue<String> containers = new ConcurrentLinkedQueue<>();

		final AtomicInteger received = new AtomicInteger();

		@Override
		public void configure(SimpleMessageListenerContainer container) {
			this.containers.add(container.getListenerId() + " " + String.join(",", container.getQueueNames()));
			container.addAfterReceivePostProcessors((message) -> {
				this.received.incrementAndGet();
				return message;
			});
		}

	}

	/**
	 * Records the direct containers it customizes and counts the messages they receive.
	 */
	static class CountingDirect implements ContainerCustomizer<DirectMessageListenerContainer> {

		final Queue<String> containers = new ConcurrentLinkedQueue<>();

		final AtomicInteger received = new AtomicInteger();

		@Override
		public void configure(DirectMessageListenerContainer container) {
			this.containers.add(container.getListenerId() + " " + String.join(",", container.getQueueNames()));
			container.addAfterReceivePostProcessors((message) -> {
				this.received.incrementAndGet();
				return message;
			});
		}

	}

	record ThreadProbe() {
	}

	static class ThreadReporter {

		@OnTask
		String report(ThreadProbe probe) throws ReflectiveOperationException {
			boolean virtual = (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
			return (virtual ? "virtual " : "platform ") + Thread.currentThread().getName();
		}

	}

}
