package io.swooletask.server;

import java.time.Duration;
import java.util.Map;

import io.swooletask.annotation.OnReceive;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

/**
 * Every connection the server closes gets one log line that names it and says why, here
 * for the closes that are no failure and so are logged at DEBUG: the application closed
 * it, the client half-closed and has every reply, the server shut down.
 */
@ExtendWith(OutputCaptureExtension.class)
class CloseReasonLogIntegrationTests {

	private static final String LOGGER = "io.swooletask.server.netty";

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ClosingHandlers.class)
		.withPropertyValues("swoole.server.open-eof-split=true", "swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

	@BeforeEach
	void logDebug() {
		this.loggingSystem.setLogLevel(LOGGER, LogLevel.DEBUG);
	}

	@AfterEach
	void restoreLogLevel() {
		this.loggingSystem.setLogLevel(LOGGER, null);
	}

	@Test
	void connectionTheApplicationClosesGetsOneLineSayingSo(CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("close\n");
				assertThat(client.isClosedByServer()).isTrue();
			}
			awaitOneLine(output, "Closing Connection[fd=1, ", ": the application closed it");
		});
	}

	@Test
	void connectionTheClientHalfClosedGetsOneLineOnceAnswered(CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("hello\n");
				client.socket().shutdownOutput();
				assertThat(client.readLine()).isEqualTo("hello");
				assertThat(client.isClosedByServer()).isTrue();
			}
			awaitOneLine(output, "Closing Connection[fd=1, ",
					": it shut its output down and every message it sent has been answered");
		});
	}

	@Test
	void connectionsOpenAtTheShutdownGetOneLineEach(CapturedOutput output) {
		TestClient[] clients = new TestClient[2];
		this.runner.run((context) -> {
			int port = context.getBean(SwooleServer.class).port();
			for (int i = 0; i < clients.length; i++) {
				clients[i] = TestClient.connect(port);
				clients[i].send("hello\n");
				assertThat(clients[i].readLine()).isEqualTo("hello");
			}
		});
		for (TestClient client : clients) {
			assertThat(client.isClosedByServer()).isTrue();
			client.close();
		}
		awaitOneLine(output, "Closing Connection[fd=1, ", ": the server is shutting down");
		awaitOneLine(output, "Closing Connection[fd=2, ", ": the server is shutting down");
	}

	private static void awaitOneLine(CapturedOutput output, String start, String reason) {
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut().lines().filter((line) -> line.contains(start)))
				.singleElement(STRING)
				.contains(reason));
	}

	/**
	 * Echoes each line, and closes the connection that sends {@code close}.
	 */
	static class ClosingHandlers {

		@OnReceive
		void receive(Connection connection, String data) {
			if ("close".equals(data)) {
				connection.close();
			}
			else {
				connection.send(data + "\n");
			}
		}

	}

}
