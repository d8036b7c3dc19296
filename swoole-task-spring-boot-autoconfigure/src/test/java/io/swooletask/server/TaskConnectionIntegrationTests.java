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

/**
 * {@link Task#connection()}: a task reaches the connection that dispatched it without its
 * data carrying it.
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
