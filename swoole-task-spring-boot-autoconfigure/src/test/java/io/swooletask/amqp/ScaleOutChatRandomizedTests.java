package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.server.SwooleServer;
import io.swooletask.support.TestClient;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chat room across two TCP nodes and one or two worker nodes, drawn from a seed: how
 * many clients on each node, how many lines each says, in bursts of what size. Every
 * client hears every line once, each speaker's in the order said, and nothing is left
 * pending on any node once the room is quiet. The seed is printed first;
 * {@code -Dswoole.chat.seed=S} replays one.
 */
class ScaleOutChatRandomizedTests {

	private static final Long SEED = Long.getLong("swoole.chat.seed");

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void everyClientHearsEveryLineOnceInEachSpeakersOrder() throws Exception {
		long seed = (SEED != null) ? SEED : new Random().nextLong();
		System.out
			.println("ScaleOutChatRandomizedTests seed " + seed + " (replay with -Dswoole.chat.seed=" + seed + ")");
		Random random = new Random(seed);
		List<ConfigurableApplicationContext> tcpNodes = List.of(this.nodes.tcpNode(), this.nodes.tcpNode());
		int workerNodes = 1 + random.nextInt(2);
		for (int w = 0; w < workerNodes; w++) {
			this.nodes.workerNode("worker-" + w);
		}
		List<TestClient> clients = new ArrayList<>();
		for (ConfigurableApplicationContext node : tcpNodes) {
			SwooleServer server = node.getBean(SwooleServer.class);
			int count = 1 + random.nextInt(3);
			for (int c = 0; c < count; c++) {
				clients.add(TestClient.connect(server.port(), Duration.ofSeconds(60)));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> server.connections().size() == count);
		}
		Map<String, List<String>> said = new LinkedHashMap<>();
		int total = 0;
		try {
			List<CompletableFuture<List<String>>> hearing = new ArrayList<>();
			int[] lines = new int[clients.size()];
			for (int c = 0; c < clients.size(); c++) {
				lines[c] = random.nextInt(40);
				total += lines[c];
			}
			int expected = total;
			for (TestClient client : clients) {
				hearing.add(CompletableFuture.supplyAsync(() -> {
					List<String> heard = new ArrayList<>();
					for (int i = 0; i < expected; i++) {
						heard.add(client.readLine());
					}
					return heard;
				}));
			}
			int[] next = new int[clients.size()];
			while (said.values().stream().mapToInt(List::size).sum() < total) {
				int c = random.nextInt(clients.size());
				int burst = Math.min(1 + random.nextInt(8), lines[c] - next[c]);
				StringBuilder text = new StringBuilder();
				for (int i = 0; i < burst; i++) {
					String line = "c" + c + "-" + next[c]++;
					text.append("BO ").append(line).append('\n');
					said.computeIfAbsent("c" + c, (speaker) -> new ArrayList<>()).add(line);
				}
				clients.get(c).send(text.toString());
			}
			for (CompletableFuture<List<String>> heard : hearing) {
				Map<String, List<String>> bySpeaker = new LinkedHashMap<>();
				for (String line : heard.get()) {
					bySpeaker.computeIfAbsent(line.substring(0, line.indexOf('-')), (s) -> new ArrayList<>()).add(line);
				}
				assertThat(bySpeaker).as("seed %d", seed).isEqualTo(said);
			}
			clients.get(0).send("BO end\n");
			for (TestClient client : clients) {
				assertThat(client.readLine()).as("seed %d: nothing after the lines said", seed).isEqualTo("end");
			}
		}
		finally {
			clients.forEach(TestClient::close);
		}
		for (ConfigurableApplicationContext node : tcpNodes) {
			SwooleServer server = node.getBean(SwooleServer.class);
			AmqpTaskTransport transport = node.getBean(AmqpTaskTransport.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> server.stats().taskingNum() == 0 && transport.outboxWaiting() == 0);
			assertThat(transport.counts()).as("seed %d", seed)
				.containsEntry("writesRefused", 0L)
				.containsEntry("writesMissed", 0L);
		}
	}

}
