package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.server.SwooleServer;
import io.swooletask.support.TestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a client sees of the broadcasts when the broker connection of its node breaks: the
 * node loses its exclusive node queue with what was in it, declares it again on
 * reconnecting, and its clients get the broadcasts from then on. Measured, not assumed:
 * the test prints how many lines the client of the cut node missed. Whatever it missed,
 * it sees no line twice and each sender's lines in order, and the clients of the other
 * node miss nothing.
 */
class ScaleOutBroadcastBlipTests {

	private static final int BEFORE_CUT = 100;

	/** Lines sent after the cut at most, until the client of the cut node hears again. */
	private static final int AFTER_CUT = 3000;

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void clientOfANodeWhoseBrokerConnectionBreaksMissesLinesButNeverSeesOneTwiceOrOutOfOrder() throws Exception {
		SwooleServer steady = this.nodes.tcpNode().getBean(SwooleServer.class);
		this.nodes.workerNode("worker");
		try (BrokerProxy proxy = BrokerProxy.start()) {
			SwooleServer cut = this.nodes.tcpNode("spring.rabbitmq.addresses=" + proxy.address())
				.getBean(SwooleServer.class);
			try (TestClient sender = TestClient.connect(steady.port());
					TestClient listener = TestClient.connect(cut.port(), Duration.ofSeconds(60))) {
				await().atMost(Duration.ofSeconds(30)).until(() -> cut.connections().size() == 1);
				List<Integer> heard = new CopyOnWriteArrayList<>();
				CompletableFuture<Void> listening = CompletableFuture.runAsync(() -> {
					for (String line = listener.readLine(); !"end".equals(line); line = listener.readLine()) {
						heard.add(Integer.parseInt(line));
					}
				});
				int sent = 0;
				for (; sent < BEFORE_CUT; sent++) {
					say(sender, sent);
				}
				proxy.links().forEach(proxy::cut);
				long cutNanos = System.nanoTime();
				int heardAtCut = heard.size();
				for (int after = 0; after < AFTER_CUT && !heardAfter(heard, BEFORE_CUT); after++, sent++) {
					say(sender, sent);
				}
				assertThat(heardAfter(heard, BEFORE_CUT)).as("the client of the cut node hears again").isTrue();
				sender.send("BO end\n");
				assertThat(sender.readLine()).isEqualTo("end");
				listening.get();
				List<Integer> inOrder = new ArrayList<>(heard);
				inOrder.sort(null);
				assertThat(heard).as("in the order said").isEqualTo(inOrder);
				assertThat(new HashSet<>(heard)).as("none twice").hasSameSizeAs(heard);
				long heardAgainNanos = System.nanoTime() - cutNanos;
				System.out.println("Broker blip: the client of the cut node heard " + heard.size() + " of " + sent
						+ " lines, " + heardAtCut + " of them before the cut, and missed " + gaps(heard, sent)
						+ "; it heard again " + Duration.ofNanos(heardAgainNanos).toMillis()
						+ " ms after the cut. The sender's node lost none.");
			}
		}
	}

	/**
	 * Says line {@code n} and waits until the sender, on the node whose connection stays,
	 * hears it: every line reaches that node, in order.
	 */
	private static void say(TestClient sender, int n) {
		sender.send("BO " + n + "\n");
		assertThat(sender.readLine()).isEqualTo(Integer.toString(n));
	}

	/**
	 * The runs of lines not heard, as {@code [first..last]}.
	 */
	private static List<String> gaps(List<Integer> heard, int sent) {
		List<String> gaps = new ArrayList<>();
		int expected = 0;
		for (int n : heard) {
			if (n > expected) {
				gaps.add("[" + expected + ".." + (n - 1) + "]");
			}
			expected = n + 1;
		}
		if (expected < sent) {
			gaps.add("[" + expected + ".." + (sent - 1) + "]");
		}
		return gaps;
	}

	private static boolean heardAfter(List<Integer> heard, int n) {
		return !heard.isEmpty() && heard.get(heard.size() - 1) >= n;
	}

}
