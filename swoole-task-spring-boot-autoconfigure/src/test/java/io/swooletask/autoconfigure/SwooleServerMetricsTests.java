package io.swooletask.autoconfigure;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SwooleServerMetricsTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, SwooleServerMetricsAutoConfiguration.class))
		.withBean(EchoTaskHandlers.class)
		.withBean(FailingTask.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true", "swoole.server.package-max-length=64");

	@Test
	void metersCountAKnownWorkload() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			for (int c = 0; c < 3; c++) {
				try (TestClient client = TestClient.connect(server.port())) {
					assertThat(client.send("a\r\n").readLine()).isEqualTo("a -> OK");
					assertThat(client.send("b\r\n").readLine()).isEqualTo("b -> OK");
				}
			}
			try (TestClient oversize = TestClient.connect(server.port())) {
				oversize.send("x".repeat(100));
				assertThat(oversize.isClosedByServer()).isTrue();
			}
			assertThat(server.taskAsync(13)).failsWithin(10, TimeUnit.SECONDS);
			await().until(() -> count(registry, "swoole.connections.closed") == 4);
			assertThat(count(registry, "swoole.connections.accepted")).isEqualTo(4);
			assertThat(registry.get("swoole.connections").gauge().value()).isZero();
			assertThat(count(registry, "swoole.connections.rejected")).isZero();
			assertThat(count(registry, "swoole.messages.received")).isEqualTo(6);
			assertThat(count(registry, "swoole.frames.oversize")).isOne();
			assertThat(count(registry, "swoole.tasks.dispatched")).isEqualTo(7);
			assertThat(registry.get("swoole.tasks.completed").tag("outcome", "success").functionCounter().count())
				.isEqualTo(6);
			assertThat(registry.get("swoole.tasks.completed").tag("outcome", "error").functionCounter().count())
				.isOne();
			assertThat(registry.get("swoole.tasks.queued").gauge().value()).isZero();
			assertThat(registry.get("swoole.tasks.running").gauge().value()).isZero();
			assertThat(registry.get("swoole.tasks.queue.wait").timer().count()).isEqualTo(7);
			assertThat(registry.get("swoole.tasks.execution").timer().count()).isEqualTo(7);
		});
	}

	@Test
	void noMetersWithoutARegistry() {
		SwooleContextRunner.create()
			.withConfiguration(AutoConfigurations.of(SwooleServerMetricsAutoConfiguration.class))
			.withBean(EchoTaskHandlers.class)
			.withPropertyValues("swoole.server.worker-num=1")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MeterRegistry.class));
	}

	private static double count(MeterRegistry registry, String name) {
		return registry.get(name).functionCounter().count();
	}

	static class FailingTask {

		@OnTask
		String fail(Integer data) {
			throw new IllegalArgumentException("unlucky " + data);
		}

	}

}
