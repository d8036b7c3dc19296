package io.swooletask.amqp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;
import io.swooletask.support.TestClient;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The amqp task transport between nodes in this JVM, each a Spring context of its own
 * with its own broker connection: a TCP node without task workers and a worker-only node.
 */
class ScaleOutIntegrationTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void tasksRunOnTheWorkerNodeAndFinishOnTheConnectionThatSentThem() {
		int port = tcpNode().getBean(SwooleServer.class).port();
		workerNode("worker");
		try (TestClient client = TestClient.connect(port)) {
			client.send("T a\n");
			assertThat(client.readLine()).isEqualTo("a -> OK @worker");
		}
	}

	@Test
	void taskDataAndResultsAreRoutedByTheirTypeOnEachSide() {
		int port = tcpNode().getBean(SwooleServer.class).port();
		workerNode("worker");
		try (TestClient client = TestClient.connect(port)) {
			client.send("U hello\n");
			assertThat(client.readLine()).isEqualTo("HELLO");
			client.send("T b\n");
			assertThat(client.readLine()).isEqualTo("b -> OK @worker");
		}
	}

	@Test
	void taskwaitReturnsTheResultFromTheWorkerNode() {
		SwooleServer server = tcpNode().getBean(SwooleServer.class);
		workerNode("worker");
		Done done = server.taskwait(new Job("w", 0), Duration.ofSeconds(30));
		assertThat(done).isEqualTo(new Done("w -> OK", "worker"));
	}

	@Test
	void tasksRunThroughAClassicWorkQueue() {
		SwooleServer server = this.nodes.tcpNode("swoole.server.amqp.queue-type=classic").getBean(SwooleServer.class);
		this.nodes.workerNode("worker", "swoole.server.amqp.queue-type=classic",
				"spring.rabbitmq.listener.simple.prefetch=1");
		Done done = server.taskwait(new Job("c", 0), Duration.ofSeconds(30));
		assertThat(done).isEqualTo(new Done("c -> OK", "worker"));
	}

	@Test
	void theTransportIsMetered() {
		ConfigurableApplicationContext origin = tcpNode();
		ConfigurableApplicationContext worker = workerNode("worker");
		origin.getBean(SwooleServer.class).taskwait(new Job("m", 0), Duration.ofSeconds(30));
		MeterRegistry originMeters = origin.getBean(MeterRegistry.class);
		// the broker may hand the task on before its confirm reaches the origin
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(originMeters.get("swoole.amqp.tasks.published").functionCounter().count())
				.isOne());
		assertThat(worker.getBean(MeterRegistry.class).get("swoole.amqp.tasks.consumed").functionCounter().count())
			.isOne();
		assertThat(originMeters.get("swoole.amqp.replies.duplicate").functionCounter().count()).isZero();
	}

	@Test
	void taskThatThrowsFailsAtTheOriginAndIsNotDeliveredAgain() throws Exception {
		ConfigurableApplicationContext origin = tcpNode();
		ConfigurableApplicationContext worker = workerNode("worker");
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("fail", 0));
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining("failing as asked");
		assertThat(worker.getBean(AmqpTaskTransport.class).counters()).satisfies((counters) -> {
			assertThat(counters.consumed()).isOne();
			assertThat(counters.redelivered()).isZero();
		});
		awaitNoReplyAwaited(origin);
	}

	@Test
	void taskThatThrowsServerShutdownExceptionWhileItsNodeRunsFailsAtTheOriginAndIsNotDeliveredAgain()
			throws Exception {
		ConfigurableApplicationContext origin = tcpNode();
		ConfigurableApplicationContext worker = workerNode("worker");
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("shutdown", 0));
		assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining("thrown as asked, the node not stopping");
		assertThat(worker.getBean(AmqpTaskTransport.class).counters().redelivered()).isZero();
		awaitNoReplyAwaited(origin);
	}

	@Test
	void taskTheBrokerGivesUpOnFailsAtTheOriginNamingTheReason() throws Exception {
		ConfigurableApplicationContext origin = node("origin",
				Map.of("swoole.server.task-worker-num", "0", "swoole.server.amqp.delivery-limit", "0"));
		ConfigurableApplicationContext worker = node("worker",
				Map.of("swoole.server.task-worker-num", "1", "swoole.server.listen", "false",
						"swoole.server.amqp.delivery-limit", "0", "swoole.server.shutdown-timeout", "1s"));
		ScaleOutApplication.Handlers workerHandlers = worker.getBean(ScaleOutApplication.Handlers.class);
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("hang", 0));
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> !workerHandlers.runs.isEmpty());
			worker.close();
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(30, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(TaskFailedException.class)
				.withMessageContaining("dead-lettered")
				.withMessageContaining("delivery_limit")
				.withMessageContaining("swoole.server.amqp.delivery-limit");
			assertThat(origin.getBean(AmqpTaskTransport.class).counters().deadLettered()).isOne();
		}
		finally {
			workerHandlers.hang.countDown();
		}
	}

	@Test
	void dataThatCannotBeWrittenAsJsonFailsAtTaskNamingItsType() {
		SwooleServer server = tcpNode().getBean(SwooleServer.class);
		assertThatIllegalArgumentException().isThrownBy(() -> server.task(new ScaleOutApplication.Unwritable()))
			.withMessageContaining(ScaleOutApplication.Unwritable.class.getName())
			.withMessageContaining("swoole.server.task-transport=amqp");
		assertThat(server.stats().taskingNum()).isZero();
	}

	@Test
	void targetingAWorkerIsRefusedWithTheReason() {
		SwooleServer server = tcpNode().getBean(SwooleServer.class);
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> server.task(new Job("x", 0), 0))
			.withMessageContaining("task-transport=amqp");
	}

	@Test
	void dispatchGoesOnWhenTheOriginsBrokerConnectionDrops() throws Exception {
		ConfigurableApplicationContext origin = tcpNode();
		workerNode("worker");
		PipelinedLoad load = new PipelinedLoad(origin.getBean(SwooleServer.class).port(), 20, 100, "T");
		Future<Integer> answered = load.start();
		CachingConnectionFactory connectionFactory = origin.getBean(CachingConnectionFactory.class);
		try (TestClient echo = TestClient.connect(origin.getBean(SwooleServer.class).port())) {
			for (int drop = 1; drop <= 3; drop++) {
				int mark = drop * 400;
				await().atMost(Duration.ofSeconds(60)).until(() -> load.received.get() >= mark);
				connectionFactory.resetConnection();
				// the event loops answer on their own while the publisher reconnects
				echo.send("E still here " + drop + "\n");
				assertThat(echo.readLine()).isEqualTo("still here " + drop);
			}
		}
		assertThat(answered.get(2, TimeUnit.MINUTES)).isEqualTo(2000);
		assertThat(origin.getBean(ScaleOutApplication.Handlers.class).finishes).hasValue(2000);
		awaitNoReplyAwaited(origin);
	}

	/**
	 * A task ends on the reply thread just after its last finish event is handed to the
	 * event loop.
	 */
	private static void awaitNoReplyAwaited(ConfigurableApplicationContext origin) {
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> transport.counters().awaitingReplies() == 0);
	}

	private ConfigurableApplicationContext tcpNode() {
		return this.nodes.tcpNode();
	}

	private ConfigurableApplicationContext workerNode(String name) {
		return this.nodes.workerNode(name);
	}

	private ConfigurableApplicationContext node(String name, Map<String, Object> properties) {
		return this.nodes.node(name, properties);
	}

}
