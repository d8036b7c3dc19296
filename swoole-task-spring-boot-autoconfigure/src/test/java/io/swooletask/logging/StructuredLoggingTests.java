package io.swooletask.logging;

import java.util.HashMap;
import java.util.Map;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.TestClient;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Spring Boot's structured logging, every line logged while a handler runs, or by
 * the starter about a task or a connection, carries the task id, the worker id and the
 * connection as fields.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingTests {

	@Test
	void handlerLinesCarryTheTaskAndTheConnectionAsEcsFields(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run()) {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				client.send("hello\n");
				assertThat(client.readLine()).isEqualTo("hello -> OK");
				long fd = server.connections().iterator().next().id();
				String remote = "127.0.0.1:" + client.socket().getLocalPort();
				await().untilAsserted(() -> assertThat(line(output, "finished hello -> OK")).isNotNull());
				DocumentContext received = line(output, "received hello");
				assertThat(received.read("$.swoole.connection.fd", String.class)).isEqualTo(Long.toString(fd));
				assertThat(received.read("$.swoole.connection.remote", String.class)).isEqualTo(remote);
				DocumentContext running = line(output, "running hello");
				String taskId = running.read("$.swoole.task.id", String.class);
				assertThat(taskId).isNotBlank();
				assertThat(running.read("$.swoole.worker.id", String.class)).isEqualTo("0");
				DocumentContext finished = line(output, "finished hello -> OK");
				assertThat(finished.read("$.swoole.task.id", String.class)).isEqualTo(taskId);
				assertThat(finished.read("$.swoole.worker.id", String.class)).isEqualTo("0");
				assertThat(finished.read("$.swoole.connection.fd", String.class)).isEqualTo(Long.toString(fd));
				await().untilAsserted(() -> assertThat(line(output, "outside")).isNotNull());
				assertThat(line(output, "outside").read("$", Map.class)).doesNotContainKey("swoole");
			}
		}
	}

	@Test
	void switchedOffNoLineCarriesThem(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("swoole.server.logging.mdc", "false")) {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				client.send("hello\n");
				assertThat(client.readLine()).isEqualTo("hello -> OK");
				await().untilAsserted(() -> assertThat(line(output, "finished hello -> OK")).isNotNull());
				assertThat(line(output, "received hello").read("$", Map.class)).doesNotContainKey("swoole");
				assertThat(line(output, "running hello").read("$", Map.class)).doesNotContainKey("swoole");
				assertThat(line(output, "finished hello -> OK").read("$", Map.class)).doesNotContainKey("swoole");
			}
		}
	}

	@Test
	void aFutureFailedOnTheEventLoopCarriesTheTaskAndTheConnectionAsItsSuccessDoes(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run()) {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				client.send("async ok\n");
				client.send("async fail\n");
				await().until(() -> line(output, "completed async fail") != null);
				await().until(() -> line(output, "completed async ok") != null);
				String fd = Long.toString(server.connections().iterator().next().id());
				assertThat(line(output, "completed async ok").read("$.swoole.connection.fd", String.class))
					.isEqualTo(fd);
				DocumentContext failed = line(output, "completed async fail");
				assertThat(failed.read("$.swoole.connection.fd", String.class)).isEqualTo(fd);
				assertThat(failed.read("$.swoole.task.id", String.class)).isNotBlank();
			}
		}
	}

	@Test
	void theStartersLineAboutAConnectionCarriesIt(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("swoole.server.package-max-length", "16")) {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				client.send("a line longer than sixteen bytes\n");
				assertThat(client.isClosedByServer()).isTrue();
				await().untilAsserted(() -> assertThat(output.getOut()
					.lines()
					.filter((line) -> line.contains("a message exceeds 16 bytes"))
					.map(JsonPath::parse)
					.map((json) -> json.read("$.swoole.connection.remote", String.class)))
					.containsExactly("127.0.0.1:" + client.socket().getLocalPort()));
			}
		}
	}

	private static ConfigurableApplicationContext run(String... more) {
		Map<String, Object> properties = new HashMap<>(Map.of("swoole.server.port", "0", "swoole.server.worker-num",
				"1", "swoole.server.task-worker-num", "1", "swoole.server.open-eof-split", "true",
				"swoole.server.package-eof", "\n", "logging.structured.format.console", "ecs"));
		for (int i = 0; i < more.length; i += 2) {
			properties.put(more[i], more[i + 1]);
		}
		SpringApplication application = new SpringApplication(Base.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(properties);
		return application.run();
	}

	/**
	 * The JSON of the first line logged with that message, or {@code null}.
	 */
	private static DocumentContext line(CapturedOutput output, String message) {
		return output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{"))
			.map(JsonPath::parse)
			.filter((json) -> message.equals(json.read("$.message", String.class)))
			.findFirst()
			.orElse(null);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SwooleServerAutoConfiguration.class)
	@Import(Handlers.class)
	static class Base {

	}

	static class Handlers {

		private static final Log logger = LogFactory.getLog(Handlers.class);

		@OnReceive
		void receive(SwooleServer server, String line) {
			logger.info("received " + line);
			if (line.startsWith("async")) {
				server.taskAsync(line).whenComplete((result, failure) -> logger.info("completed " + line));
			}
			else {
				server.task(line);
			}
		}

		@OnTask
		String task(String line) {
			logger.info("running " + line);
			if (line.equals("async fail")) {
				throw new IllegalStateException("failing on purpose");
			}
			return line + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			logger.info("finished " + result);
			connection.send(result + "\n");
			new Thread(() -> logger.info("outside")).start();
		}

	}

}
