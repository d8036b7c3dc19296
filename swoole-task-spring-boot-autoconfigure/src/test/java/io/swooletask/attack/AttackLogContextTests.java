package io.swooletask.attack;

import java.util.Map;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
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
 * Attack: a task's result reaches its future inside the connection's and the task's
 * logging context (FinishDelivery.finish), but its failure (FinishDelivery.failed ->
 * onOrigin(future::completeExceptionally)) and its end without a result
 * (FinishDelivery.ended) reach it outside: the same whenComplete callback, on the same
 * event loop, logs swoole.connection.fd for a success and nothing for a failure.
 */
@ExtendWith(OutputCaptureExtension.class)
class AttackLogContextTests {

	@Test
	void aFutureFailedOnTheEventLoopCarriesTheConnectionAsItsSuccessDoes(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run()) {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				client.send("ok\n");
				await().until(() -> line(output, "completed ok") != null);
				client.send("fail\n");
				await().until(() -> line(output, "completed fail") != null);
				long fd = server.connections().iterator().next().id();
				assertThat(line(output, "completed ok").read("$.swoole.connection.fd", String.class))
					.isEqualTo(Long.toString(fd));
				assertThat(line(output, "completed fail").read("$", Map.class)).as("the failure's line")
					.containsKey("swoole");
			}
		}
	}

	private static ConfigurableApplicationContext run() {
		SpringApplication application = new SpringApplication(Base.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("swoole.server.port", "0", "swoole.server.worker-num", "1",
				"swoole.server.task-worker-num", "1", "swoole.server.open-eof-split", "true",
				"swoole.server.package-eof", "\n", "logging.structured.format.console", "ecs"));
		return application.run();
	}

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
			server.taskAsync(line).whenComplete((result, failure) -> logger.info("completed " + line));
		}

		@OnTask
		String task(String line) {
			if (line.equals("fail")) {
				throw new IllegalStateException("failing on purpose");
			}
			return line;
		}

	}

}
