package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.swooletask.support.TestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests over several connections at once, each connection sending all its lines and
 * then reading as many replies, checked against the payloads it sent: each answered
 * exactly once.
 */
final class PipelinedLoad {

	private final int port;

	private final int connections;

	private final int perConnection;

	private final String command;

	/** Replies received so far, over all connections. */
	final AtomicInteger received = new AtomicInteger();

	PipelinedLoad(int port, int connections, int perConnection, String command) {
		this.port = port;
		this.connections = connections;
		this.perConnection = perConnection;
		this.command = command;
	}

	/**
	 * Starts the load on threads of its own.
	 * @return completes when every connection has its replies; fails on a missing or
	 * wrong reply
	 */
	Future<Integer> start() {
		ExecutorService clients = Executors.newFixedThreadPool(this.connections);
		List<Future<Integer>> each = new ArrayList<>();
		for (int c = 0; c < this.connections; c++) {
			int connection = c;
			each.add(clients.submit(() -> runConnection(connection)));
		}
		clients.shutdown();
		return Executors.newSingleThreadExecutor().submit(() -> {
			int total = 0;
			for (Future<Integer> future : each) {
				total += future.get(5, TimeUnit.MINUTES);
			}
			return total;
		});
	}

	private int runConnection(int connection) {
		// the tasks of a connection queue up behind those of the connections that sent
		// theirs first
		try (TestClient client = TestClient.connect(this.port, Duration.ofMinutes(2))) {
			Set<String> expected = new HashSet<>();
			StringBuilder lines = new StringBuilder();
			for (int i = 0; i < this.perConnection; i++) {
				String payload = "c" + connection + "-" + i;
				expected.add(payload + " -> OK");
				lines.append(this.command).append(' ').append(payload).append('\n');
			}
			client.send(lines.toString());
			Set<String> answered = new HashSet<>();
			for (int i = 0; i < this.perConnection; i++) {
				String reply = client.readLine();
				assertThat(reply).as("reply %d on connection %d", i, connection).isNotNull();
				String text = reply.substring(0, reply.lastIndexOf(" @"));
				assertThat(answered.add(text)).as("%s answered once", text).isTrue();
				this.received.incrementAndGet();
			}
			assertThat(answered).isEqualTo(expected);
			return answered.size();
		}
	}

}
