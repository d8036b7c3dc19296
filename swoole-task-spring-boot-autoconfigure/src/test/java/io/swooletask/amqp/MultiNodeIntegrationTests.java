package io.swooletask.amqp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out across JVM processes: a TCP node without task workers and two worker-only
 * nodes, each a process of its own, sharing a work queue on the local RabbitMQ; the
 * clients run in this JVM.
 */
class MultiNodeIntegrationTests {

	private static final Path LOGS = Path.of("target", "scale-out");

	private final String taskQueue = RabbitBroker.newTaskQueue();

	private NodeProcess origin;

	private int port;

	private NodeProcess workerA;

	private NodeProcess workerB;

	@BeforeEach
	void startNodes() throws Exception {
		RabbitBroker.require();
		this.origin = node("origin", "--swoole.server.task-worker-num=0", "--swoole.server.port=0",
				"--swoole.server.worker-num=2", "--swoole.server.open-eof-split=true",
				"--swoole.server.package-eof=\n");
		this.workerA = node("worker-a", "--swoole.server.listen=false", "--swoole.server.task-worker-num=2",
				"--swoole.server.worker-num=1");
		this.workerB = node("worker-b", "--swoole.server.listen=false", "--swoole.server.task-worker-num=2",
				"--swoole.server.worker-num=1");
		this.port = this.origin.awaitReady();
		this.workerA.awaitReady();
		this.workerB.awaitReady();
	}

	@AfterEach
	void stopNodes() throws Exception {
		if (this.origin == null) {
			return;
		}
		this.workerA.close();
		this.workerB.close();
		this.origin.close();
		RabbitBroker.delete(this.taskQueue);
	}

	@Test
	void tenThousandRequestsOverTwentyConnectionsAreAnsweredExactlyOnce() throws Exception {
		PipelinedLoad load = new PipelinedLoad(this.port, 20, 500, "T");
		assertThat(load.start().get(5, TimeUnit.MINUTES)).isEqualTo(10_000);
		this.origin.stop();
		assertThat(this.origin.stats()).startsWith("finishes=10000 ").contains("awaitingReplies=0");
	}

	@Test
	void tasksOfAKilledWorkerNodeRunElsewhereAndAreAnsweredOnce() throws Exception {
		PipelinedLoad load = new PipelinedLoad(this.port, 20, 50, "S50");
		Future<Integer> answered = load.start();
		await().atMost(Duration.ofMinutes(1)).until(() -> load.received.get() >= 200);
		this.workerA.kill();
		assertThat(answered.get(5, TimeUnit.MINUTES)).isEqualTo(1000);
		this.origin.stop();
		assertThat(this.origin.stats()).startsWith("finishes=1000 ");
		this.workerB.stop();
		assertThat(this.workerB.stats()).containsPattern("redelivered=[1-9]");
	}

	@Test
	void aWorkerNodeStoppedUnderLoadLosesAndRepeatsNothing() throws Exception {
		PipelinedLoad load = new PipelinedLoad(this.port, 20, 50, "S20");
		Future<Integer> answered = load.start();
		await().atMost(Duration.ofMinutes(1)).until(() -> load.received.get() >= 200);
		this.workerA.stop();
		assertThat(answered.get(5, TimeUnit.MINUTES)).isEqualTo(1000);
		this.origin.stop();
		// a task that ran to its end on the stopped node and then again elsewhere would
		// reply twice
		assertThat(this.origin.stats()).startsWith("finishes=1000 ").contains("duplicates=0");
		// written as the stopped node's context closed: it ran tasks, then shut down
		// cleanly
		assertThat(this.workerA.stats()).containsPattern("consumed=[1-9]");
	}

	private NodeProcess node(String name, String... args) throws Exception {
		List<String> all = new ArrayList<>(List.of("--swoole.server.task-transport=amqp",
				"--swoole.server.amqp.task-queue=" + this.taskQueue, "--swoole.server.amqp.reply-queue-expiry=1m"));
		all.addAll(List.of(args));
		return NodeProcess.start(LOGS, name, all.toArray(String[]::new));
	}

}
