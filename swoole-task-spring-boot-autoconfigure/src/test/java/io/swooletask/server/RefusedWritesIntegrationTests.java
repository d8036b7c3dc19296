package io.swooletask.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.swooletask.autoconfigure.SwooleServerMetricsAutoConfiguration;
import io.swooletask.autoconfigure.SwooleServerProperties;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A send that {@code buffer-output-size} refuses says so: one WARN line per connection
 * and a meter that counts every refusal; with the defaults, the reply to the largest
 * message accepted goes through.
 */
@ExtendWith(OutputCaptureExtension.class)
class RefusedWritesIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, SwooleServerMetricsAutoConfiguration.class))
		.withBean(EchoTaskHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.open-eof-split=true");

	@Test
	void replyToTheLargestAcceptedLineGoesThroughWithTheDefaults() {
		this.runner.run((context) -> {
			int largest = (int) new SwooleServerProperties().getPackageMaxLength().toBytes() - "\r\n".length();
			String line = "x".repeat(largest);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send(line + "\r\n").readLine()).isEqualTo(line + " -> OK");
			}
		});
	}

	@Test
	void refusedSendsAreLoggedOncePerConnectionAndEachIsCounted(CapturedOutput output) {
		this.runner.withPropertyValues("swoole.server.buffer-output-size=1KB").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			int port = context.getBean(SwooleServer.class).port();
			String large = "x".repeat(2000);
			try (TestClient first = TestClient.connect(port); TestClient second = TestClient.connect(port)) {
				first.send(large + "\r\n" + large + "\r\n" + large + "\r\n");
				second.send(large + "\r\n");
				await().until(() -> registry.get("swoole.connections.writes.refused").functionCounter().count() == 4);
				assertThat(first.send("small\r\n").readLine()).isEqualTo("small -> OK");
				assertThat(warningsAbout(output, first)).isOne();
				assertThat(warningsAbout(output, second)).isOne();
			}
			assertThat(output).containsPattern("WARN .*Refused a send of 2007 bytes to Connection\\[fd=\\d+, "
					+ "remote=/127.0.0.1:\\d+]: .*1024 bytes \\(swoole.server.buffer-output-size\\)");
		});
	}

	private static int warningsAbout(CapturedOutput output, TestClient client) {
		Matcher matcher = Pattern
			.compile("WARN .*remote=/127.0.0.1:" + client.socket().getLocalPort() + "].*buffer-output-size")
			.matcher(output.getAll());
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

}
