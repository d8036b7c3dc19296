package io.swooletask.server;

import java.time.Duration;
import java.util.List;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task's way to the connections: {@link Task#connection()} reaches the one that
 * dispatched it without its data carrying it, and {@link SwooleServer#broadcast(String)}
 * every one.
 */
class TaskConnectionIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ConnectionHandlers.class)
		.withPropertyValues("swoole.server.task-worker-num=2", "swoole.server.open-eof-split=true",
				"swoole.server.package-eof=;");

	@Test
	void aTaskWritesToTheConnectionThatDispatchedIt() {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("hello;");
				assertThat(List.of(client.readLine(), client.readLine()))
					.containsExactlyInAnyOrder("the task says hello", "finished: some");
			}
		});
	}

	@Test
	void aTaskDispatchedOutsideAnyConnectionHasNone() {
		this.runner.run((context) -> assertThat(context.getBean(SwooleServer.class).taskAsync("from a runner"))
			.succeedsWithin(Duration.ofSeconds(10))
			.isEqualTo("none"));
	}

	@Test
	void aBroadcastReachesEveryOpenConnection() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient first = TestClient.connect(server.port());
					TestClient second = TestClient.connect(server.port())) {
				await().until(() -> server.connections().size() == 2);
				assertThat(server.broadcast("to all\n")).isEqualTo(2);
				assertThat(first.readLine()).isEqualTo("to all");
				assertThat(second.readLine()).isEqualTo("to all");
			}
		});
	}

	static class ConnectionHandlers {

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(Task task, String data) {
			Connection connection = task.connection();
			if (connection == null) {
				return "none";
			}
			connection.send("the task says " + data + "\n");
			return "some";
		}

		@OnFinish
		void finish(@Nullable Connection connection, String result) {
			if (connection != null) {
				connection.send("finished: " + result + "\n");
			}
		}

	}

}
