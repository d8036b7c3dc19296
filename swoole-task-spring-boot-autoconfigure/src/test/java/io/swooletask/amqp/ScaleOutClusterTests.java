package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;

import io.swooletask.amqp.ScaleOutApplication.Handlers;
import io.swooletask.amqp.ScaleOutApplication.Ordered;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.TestClient;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * With the amqp transport, a task on any node reaches the connections of every node:
 * broadcasts go to every node that serves clients, a task's connection takes writes
 * through the node that owns it, and tasks of one key run in order whichever node runs
 * them.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutClusterTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@BeforeEach
	void forgetOrderedTasks() {
		ScaleOutApplication.ORDERED.clear();
		ScaleOutApplication.ORDERED_RUNNING.clear();
		ScaleOutApplication.ORDERED_OVERLAPS.set(0);
	}

	@Test
	void broadcastFromAWorkerNodeReachesTheClientsOfEveryNodeOnce() {
		SwooleServer first = this.nodes.tcpNode().getBean(SwooleServer.class);
		SwooleServer second = this.nodes.tcpNode().getBean(SwooleServer.class);
		this.nodes.workerNode("worker");
		try (TestClient one = TestClient.connect(first.port()); TestClient other = TestClient.connect(second.port())) {
			awaitConnected(first, second);
			one.send("B hello\n");
			other.send("B again\n");
			List<String> seenByOne = List.of(one.readLine(), one.readLine());
			List<String> seenByOther = List.of(other.readLine(), other.readLine());
			assertThat(seenByOne).containsExactlyInAnyOrder("hello", "again");
			assertThat(seenByOther).containsExactlyInAnyOrder("hello", "again");
			one.send("E done\n");
			assertThat(one.readLine()).as("nothing more than the two broadcasts before the echo").isEqualTo("done");
		}
	}

	@Test
	void broadcastGoesOnReachingTheNodesLeftOnceOneIsGone(CapturedOutput output) {
		SwooleServer staying = this.nodes.tcpNode().getBean(SwooleServer.class);
		ConfigurableApplicationContext leaving = this.nodes.tcpNode();
		SwooleServer worker = this.nodes.workerNode("worker").getBean(SwooleServer.class);
		try (TestClient client = TestClient.connect(staying.port())) {
			awaitConnected(staying);
			leaving.close();
			assertThat(worker.broadcast("after one node left\n")).isZero();
			assertThat(client.readLine()).isEqualTo("after one node left");
		}
		assertThat(output).doesNotContain("Cannot send writes");
	}

	@Test
	void connectionIdsOfTwoNodesDiffer() {
		SwooleServer first = this.nodes.tcpNode().getBean(SwooleServer.class);
		SwooleServer second = this.nodes.tcpNode().getBean(SwooleServer.class);
		try (TestClient one = TestClient.connect(first.port()); TestClient other = TestClient.connect(second.port())) {
			String firstId = one.send("I x\n").readLine();
			String secondId = other.send("I x\n").readLine();
			assertThat(firstId).isNotEqualTo(secondId);
		}
	}

	@Test
	void taskOnAWorkerNodeWritesToTheConnectionItWasDispatchedFrom() {
		SwooleServer origin = this.nodes.tcpNode().getBean(SwooleServer.class);
		Handlers worker = this.nodes.workerNode("worker").getBean(Handlers.class);
		try (TestClient client = TestClient.connect(origin.port())) {
			String id = client.send("I x\n").readLine();
			client.send("R hello from the worker\n");
			assertThat(client.readLine()).isEqualTo("hello from the worker");
			// the worker records the send once it returns, maybe after the line arrived
			await().atMost(WAIT).until(() -> !worker.writes.isEmpty());
			assertThat(worker.writes).containsExactly(true);
			Connection written = worker.written;
			assertThat(written).isNotNull();
			assertThat(written.id()).isEqualTo(Long.parseLong(id));
			assertThat(written.isOpen()).isTrue();
		}
	}

	@Test
	void writeToAConnectionClosedMeanwhileIsHandedOnAndCountedMissedByItsNode() {
		ConfigurableApplicationContext originNode = this.nodes.tcpNode();
		SwooleServer origin = originNode.getBean(SwooleServer.class);
		Handlers worker = this.nodes.workerNode("worker").getBean(Handlers.class);
		try (TestClient client = TestClient.connect(origin.port())) {
			long fd = Long.parseLong(client.send("I x\n").readLine());
			client.send("RH too late\n");
			await().atMost(WAIT).until(() -> worker.writing.getCount() == 0);
			assertThat(origin.close(fd)).isTrue();
			assertThat(client.isClosedByServer()).isTrue();
		}
		await().atMost(WAIT).until(() -> origin.connections().isEmpty());
		worker.writeRelease.countDown();
		await().atMost(WAIT).until(() -> !worker.writes.isEmpty());
		assertThat(worker.writes).containsExactly(true);
		MeterRegistry meters = originNode.getBean(MeterRegistry.class);
		await().atMost(WAIT).until(() -> meters.get("swoole.amqp.writes.missed").functionCounter().count() == 1);
	}

	@Test
	void writeToAConnectionOfANodeThatIsGoneIsRefusedOnceTheBrokerSaysSo() {
		ConfigurableApplicationContext originNode = this.nodes.tcpNode("swoole.server.shutdown-timeout=1s");
		SwooleServer origin = originNode.getBean(SwooleServer.class);
		ConfigurableApplicationContext workerNode = this.nodes.workerNode("worker");
		Handlers worker = workerNode.getBean(Handlers.class);
		try (TestClient client = TestClient.connect(origin.port())) {
			client.send("RG orphaned\n");
			await().atMost(WAIT).until(() -> worker.writing.getCount() == 0);
		}
		originNode.close();
		worker.writeRelease.countDown();
		await().atMost(WAIT).until(() -> worker.writes.contains(false));
		assertThat(worker.writes.get(worker.writes.size() - 1)).isFalse();
		assertThat(worker.writes.indexOf(false)).as("no send is refused once refused")
			.isEqualTo(worker.writes.size() - 1);
		Connection written = worker.written;
		assertThat(written).isNotNull();
		assertThat(written.isOpen()).isFalse();
		assertThat(written.send("again")).isFalse();
		assertThat(workerNode.getBean(MeterRegistry.class).get("swoole.amqp.writes.returned").functionCounter().count())
			.isPositive();
	}

	@Test
	void tasksOfOneKeyRunInDispatchOrderAcrossWorkerNodes() {
		SwooleServer origin = this.nodes.tcpNode().getBean(SwooleServer.class);
		this.nodes.workerNode("one");
		this.nodes.workerNode("two");
		int keys = 6;
		int perKey = 40;
		try (TestClient client = TestClient.connect(origin.port())) {
			StringBuilder lines = new StringBuilder();
			for (int n = 0; n < perKey; n++) {
				for (int key = 0; key < keys; key++) {
					lines.append("O key").append(key).append(' ').append(n).append('\n');
				}
			}
			client.send(lines.toString());
			await().atMost(WAIT).until(() -> ScaleOutApplication.ORDERED.size() == keys * perKey);
		}
		Map<String, List<Integer>> byKey = new HashMap<>();
		for (Ordered ordered : ScaleOutApplication.ORDERED) {
			byKey.computeIfAbsent(ordered.key(), (key) -> new ArrayList<>()).add(ordered.n());
		}
		assertThat(byKey).hasSize(keys);
		List<Integer> inOrder = new ArrayList<>();
		for (int n = 0; n < perKey; n++) {
			inOrder.add(n);
		}
		byKey.forEach((key, ns) -> assertThat(ns).as(key).isEqualTo(inOrder));
	}

	@Test
	void broadcastFromAWorkerNodeBeforeAnyTcpNodeReachesNobodyAndCostsNothing(CapturedOutput output) {
		ConfigurableApplicationContext workerNode = this.nodes.workerNode("worker");
		SwooleServer worker = workerNode.getBean(SwooleServer.class);
		for (int i = 0; i < 200; i++) {
			assertThat(worker.broadcast("to nobody " + i)).isZero();
		}
		AmqpTaskTransport transport = workerNode.getBean(AmqpTaskTransport.class);
		await().atMost(WAIT).until(() -> transport.outboxWaiting() == 0);
		SwooleServer origin = this.nodes.tcpNode().getBean(SwooleServer.class);
		try (TestClient client = TestClient.connect(origin.port())) {
			awaitConnected(origin);
			worker.broadcast("to the first client\n");
			assertThat(client.readLine()).isEqualTo("to the first client");
		}
		assertThat(output).doesNotContain("Cannot send writes").doesNotContain("NOT_FOUND");
	}

	@Test
	void writeLargerThanTheOutputBufferIsRefusedAtOnce() {
		SwooleServer origin = this.nodes.tcpNode("swoole.server.buffer-output-size=1KB").getBean(SwooleServer.class);
		ConfigurableApplicationContext workerNode = this.nodes.workerNode("worker",
				"swoole.server.buffer-output-size=1KB");
		Handlers worker = workerNode.getBean(Handlers.class);
		try (TestClient client = TestClient.connect(origin.port())) {
			client.send("R fits\n");
			assertThat(client.readLine()).isEqualTo("fits");
			Connection written = worker.written;
			assertThat(written).isNotNull();
			assertThat(written.send(new byte[1025])).isFalse();
			SwooleServer server = workerNode.getBean(SwooleServer.class);
			assertThatIllegalStateException().isThrownBy(() -> server.broadcast("x".repeat(1025)))
				.withMessageContaining("swoole.server.buffer-output-size");
			assertThat(
					workerNode.getBean(MeterRegistry.class).get("swoole.amqp.writes.refused").functionCounter().count())
				.isEqualTo(2);
		}
	}

	/**
	 * The worker node that takes a key's partition stops gracefully amid its tasks: the
	 * node waiting on the partition takes over after the task running there ended, and
	 * gets the tasks the stopping node held before any later one.
	 */
	@Test
	void tasksOfOneKeyKeepTheirOrderWhenTheNodeTakingThemStops() {
		SwooleServer origin = this.nodes.tcpNode("swoole.server.amqp.ordered-partitions=1").getBean(SwooleServer.class);
		ConfigurableApplicationContext first = this.nodes.workerNode("first", "swoole.server.amqp.ordered-partitions=1",
				"swoole.server.shutdown-timeout=20s");
		this.nodes.workerNode("second", "swoole.server.amqp.ordered-partitions=1");
		int tasks = 600;
		try (TestClient client = TestClient.connect(origin.port())) {
			StringBuilder lines = new StringBuilder();
			for (int n = 0; n < tasks; n++) {
				lines.append("O key ").append(n).append('\n');
			}
			client.send(lines.toString());
			await().atMost(WAIT).until(() -> ScaleOutApplication.ORDERED.size() >= tasks / 4);
			first.close();
			await().atMost(WAIT)
				.until(() -> ScaleOutApplication.ORDERED.stream().map(Ordered::n).distinct().count() == tasks);
		}
		List<Integer> ran = ScaleOutApplication.ORDERED.stream().map(Ordered::n).toList();
		List<Integer> inOrder = new ArrayList<>();
		for (int n = 0; n < tasks; n++) {
			inOrder.add(n);
		}
		assertThat(ScaleOutApplication.ORDERED_OVERLAPS).as("tasks that started while another ran").hasValue(0);
		assertThat(ran).as("each once, in order").isEqualTo(inOrder);
	}

	/**
	 * The broadcasts of one sender's ordered tasks reach its client in order though the
	 * worker node running them stops amid them: the node waits for its writes to leave
	 * before the next node takes the partition over.
	 */
	@Test
	void broadcastsOfOneSenderStayInOrderWhenTheNodeRunningThemStops() {
		SwooleServer origin = this.nodes.tcpNode("swoole.server.amqp.ordered-partitions=1").getBean(SwooleServer.class);
		ConfigurableApplicationContext first = this.nodes.workerNode("first", "swoole.server.amqp.ordered-partitions=1",
				"swoole.server.shutdown-timeout=20s");
		this.nodes.workerNode("second", "swoole.server.amqp.ordered-partitions=1");
		int lines = 2000;
		List<Integer> heard = new ArrayList<>();
		try (TestClient client = TestClient.connect(origin.port(), Duration.ofSeconds(60))) {
			StringBuilder text = new StringBuilder();
			for (int n = 0; n < lines; n++) {
				text.append("BO ").append(n).append('\n');
			}
			client.send(text.toString());
			while (heard.size() < lines / 10) {
				heard.add(Integer.parseInt(client.readLine()));
			}
			first.close();
			while (heard.isEmpty() || heard.get(heard.size() - 1) < lines - 1) {
				heard.add(Integer.parseInt(client.readLine()));
			}
		}
		List<Integer> inOrder = new ArrayList<>();
		for (int n = 0; n < lines; n++) {
			inOrder.add(n);
		}
		assertThat(heard).as("each line once, in order").isEqualTo(inOrder);
	}

	private static void awaitConnected(SwooleServer... servers) {
		for (SwooleServer server : servers) {
			await().atMost(WAIT).until(() -> server.connections().size() == 1);
		}
	}

}
