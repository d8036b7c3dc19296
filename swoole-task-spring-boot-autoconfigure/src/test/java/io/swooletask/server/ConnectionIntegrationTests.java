package io.swooletask.server;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnConnect;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ConnectionIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(CountingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true");

	@Test
	void connectAndCloseFireOncePerConnectionWhoeverCloses() {
		CountingHandlers[] handlers = new CountingHandlers[1];
		TestClient[] openAtShutdown = new TestClient[1];
		try {
			this.runner.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				handlers[0] = context.getBean(CountingHandlers.class);
				TestClient clientClosed = TestClient.connect(server.port());
				try (TestClient serverClosed = TestClient.connect(server.port())) {
					openAtShutdown[0] = TestClient.connect(server.port());
					assertThat(serverClosed.send("fd\r\n").readLine()).matches("fd \\d+");
					await().until(() -> handlers[0].connects.size() == 3);
					clientClosed.close();
					long fd = handlers[0].fdOf(serverClosed);
					assertThat(server.close(fd)).isTrue();
					assertThat(serverClosed.isClosedByServer()).isTrue();
					await().until(() -> handlers[0].closes.size() == 2);
					assertThat(server.exists(fd)).isFalse();
					// still served, so the server has not closed it: the shutdown will
					assertThat(openAtShutdown[0].send("fd\r\n").readLine()).matches("fd \\d+");
				}
			});
			// the server's side of the connection is gone: end of stream (or a reset)
			// within the read timeout
			assertThat(openAtShutdown[0].isClosedByServer()).as("closed by the server at shutdown").isTrue();
		}
		finally {
			if (openAtShutdown[0] != null) {
				openAtShutdown[0].close();
			}
		}
		assertThat(handlers[0].closes).hasSize(3).allSatisfy((fd, count) -> assertThat(count.get()).isOne());
		assertThat(handlers[0].closes.keySet()).isEqualTo(handlers[0].connects.keySet());
	}

	@Test
	void connectionsAreListedWithTheirDetails() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			Instant before = Instant.now().minusSeconds(1);
			try (TestClient client = TestClient.connect(server.port())) {
				long fd = Long.parseLong(client.send("fd\r\n").readLine().substring(3));
				Connection connection = server.connection(fd).orElseThrow();
				assertThat(connection.id()).isEqualTo(fd);
				assertThat(connection.reactorId()).isBetween(0, 1);
				assertThat(((InetSocketAddress) connection.remoteAddress()).getPort())
					.isEqualTo(client.socket().getLocalPort());
				assertThat(connection.connectTime()).isAfter(before);
				assertThat(connection.lastReceiveTime()).isAfterOrEqualTo(connection.connectTime());
				assertThat(connection.isOpen()).isTrue();
				assertThat(server.connections()).extracting(Connection::id).containsExactly(fd);
				assertThat(server.exists(fd)).isTrue();
				assertThat(server.send(fd, "pushed\n")).isTrue();
				assertThat(client.readLine()).isEqualTo("pushed");
				assertThat(server.send(fd, "bytes\n".getBytes())).isTrue();
				assertThat(client.readLine()).isEqualTo("bytes");
			}
			assertThat(server.connection(Long.MAX_VALUE)).isEmpty();
			assertThat(server.send(Long.MAX_VALUE, "x")).isFalse();
			assertThat(server.close(Long.MAX_VALUE)).isFalse();
		});
	}

	@Test
	void statsCountAKnownWorkloadExactly() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			for (int c = 0; c < 3; c++) {
				try (TestClient client = TestClient.connect(server.port())) {
					assertThat(client.send("task:a\r\n").readLine()).isEqualTo("a -> OK");
					assertThat(client.send("task:b\r\n").readLine()).isEqualTo("b -> OK");
				}
			}
			CompletableFuture<Object> failed = server.taskAsync(42);
			assertThat(failed).failsWithin(10, TimeUnit.SECONDS);
			await().until(() -> server.stats().closeCount() == 3);
			ServerStats stats = server.stats();
			assertThat(stats.startTime()).isNotNull();
			assertThat(stats.connectionNum()).isZero();
			assertThat(stats.acceptCount()).isEqualTo(3);
			assertThat(stats.closeCount()).isEqualTo(3);
			assertThat(stats.requestCount()).isEqualTo(6);
			assertThat(stats.taskWorkerNum()).isEqualTo(2);
			assertThat(stats.taskIdleWorkerNum()).isEqualTo(2);
			assertThat(stats.taskingNum()).isZero();
			assertThat(stats.taskRunning()).isZero();
			assertThat(stats.taskCount()).isEqualTo(7);
			assertThat(stats.taskCompleted()).isEqualTo(6);
			assertThat(stats.taskFailed()).isEqualTo(1);
		});
	}

	static class CountingHandlers {

		final Map<Long, Integer> connects = new ConcurrentHashMap<>();

		final Map<Long, AtomicInteger> closes = new ConcurrentHashMap<>();

		final Map<Integer, Long> fdByClientPort = new ConcurrentHashMap<>();

		long fdOf(TestClient client) {
			return this.fdByClientPort.get(client.socket().getLocalPort());
		}

		@OnConnect
		void connect(Connection connection, long fd, int reactorId) {
			this.connects.put(fd, reactorId);
			this.fdByClientPort.put(((InetSocketAddress) connection.remoteAddress()).getPort(), fd);
		}

		@OnClose
		void close(long fd) {
			this.closes.computeIfAbsent(fd, (key) -> new AtomicInteger()).incrementAndGet();
		}

		@OnReceive
		void receive(SwooleServer server, Connection connection, String line) {
			if (line.equals("fd")) {
				connection.send("fd " + connection.id() + "\n");
			}
			else {
				server.task(line.substring("task:".length()));
			}
		}

		@OnTask
		String task(String data) {
			return data + " -> OK";
		}

		@OnTask
		String fail(Integer data) {
			throw new IllegalArgumentException("no numbers");
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
