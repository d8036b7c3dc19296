package io.swooletask.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.annotation.OnWorkerStart;
import io.swooletask.annotation.OnWorkerStop;
import io.swooletask.server.SwooleServer;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @OnWorkerStart} and {@code @OnWorkerStop} on the task workers of a node of the
 * amqp transport: each consumer of the work queue starts as a worker on its own thread
 * before its first task and stops after its last.
 */
class ScaleOutWorkerLifecycleTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	/**
	 * Two workers of the work queue, and the consumer of the one partition of the ordered
	 * tasks, a worker too, with the id after theirs.
	 */
	@Test
	void eachTaskWorkerOfANodeStartsAndStopsOnItsOwnThread() {
		WorkerRecorder recorder = new WorkerRecorder();
		ConfigurableApplicationContext node = this.nodes.node("both",
				Map.of("swoole.server.task-worker-num", "2", "swoole.server.amqp.ordered-partitions", "1"),
				(context) -> ((GenericApplicationContext) context).registerBean(WorkerRecorder.class, () -> recorder));
		await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.size() == 3);
		assertThat(node.getBean(SwooleServer.class)
			.<Done>taskwait(new Job("after the start", 0), Duration.ofSeconds(30))
			.text()).isEqualTo("after the start -> OK");
		node.close();
		assertThat(recorder.events).hasSize(6)
			.allMatch((event) -> event.contains(" on swoole-task-worker-"))
			.filteredOn((event) -> event.startsWith("start"))
			.extracting((event) -> event.substring(0, "start 0".length()))
			.containsExactlyInAnyOrder("start 0", "start 1", "start 2");
		for (String start : recorder.events.stream().filter((event) -> event.startsWith("start")).toList()) {
			assertThat(recorder.events).as("the stop of the worker that had %s", start)
				.contains(start.replace("start", "stop"));
		}
	}

	@Test
	void aConsumerReplacedAfterALostConnectionStopsAsAWorkerBeforeItsReplacementStarts() throws Exception {
		WorkerRecorder recorder = new WorkerRecorder();
		try (BrokerProxy proxy = BrokerProxy.start()) {
			ConfigurableApplicationContext node = this.nodes.node("both",
					Map.of("swoole.server.task-worker-num", "2", "swoole.server.amqp.ordered-partitions", "0",
							"spring.rabbitmq.addresses", proxy.address()),
					(context) -> ((GenericApplicationContext) context).registerBean(WorkerRecorder.class,
							() -> recorder));
			await().atMost(Duration.ofSeconds(30)).until(() -> recorder.events.size() == 2);
			proxy.links().forEach(proxy::cut);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> recorder.events.stream().filter((event) -> event.startsWith("start")).count() >= 4);
			node.close();
		}
		for (String id : List.of("0", "1")) {
			List<String> events = recorder.events.stream()
				.map((event) -> event.substring(0, event.indexOf(" on ")))
				.filter((event) -> event.endsWith(" " + id))
				.toList();
			assertThat(events).as("worker %s's events", id).isNotEmpty();
			for (int i = 0; i < events.size(); i++) {
				assertThat(events.get(i)).as("worker %s's event %d of %s", id, i, events)
					.startsWith((i % 2 == 0) ? "start" : "stop");
			}
			assertThat(events.size() % 2).as("worker %s stopped after its last start: %s", id, events).isZero();
		}
	}

	static class WorkerRecorder {

		final Queue<String> events = new ConcurrentLinkedQueue<>();

		@OnWorkerStart
		void start(int workerId) {
			this.events.add("start " + workerId + " on " + Thread.currentThread().getName());
		}

		@OnWorkerStop
		void stop(int workerId) {
			this.events.add("stop " + workerId + " on " + Thread.currentThread().getName());
		}

	}

}
