package io.swooletask.autoconfigure;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While backpressure stops the server reading, a gauge and the health details say how
 * many connections wait and since when; both clear once the queue drains.
 */
class ReadingPausedObservabilityTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(
				AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, SwooleServerMetricsAutoConfiguration.class))
		.withBean(GatedHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.task-queue-capacity=4", "swoole.server.open-eof-split=true");

	@Test
	void pausedConnectionsAreGaugedAndShownInHealthUntilTheQueueDrains() {
		this.runner.run((context) -> {
			NettySwooleServer server = context.getBean(NettySwooleServer.class);
			GatedHandlers handlers = context.getBean(GatedHandlers.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			SwooleHealthIndicator health = new SwooleHealthIndicator(server);
			try (TestClient client = TestClient.connect(server.port())) {
				client.send("0\r\n1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n9\r\n");
				await().until(() -> registry.get("swoole.connections.paused").gauge().value() == 1);
				assertThat(health.health(true).getDetails()).extractingByKey("readingPaused")
					.asInstanceOf(InstanceOfAssertFactories.MAP)
					.containsEntry("connections", 1)
					.containsKey("since");
				handlers.release.countDown();
				Set<String> replies = new HashSet<>();
				while (replies.size() < 10) {
					replies.add(client.readLine());
				}
				assertThat(replies).contains("0", "9");
				await().until(() -> registry.get("swoole.connections.paused").gauge().value() == 0);
				Health after = health.health(true);
				assertThat(after.getDetails()).doesNotContainKey("readingPaused");
				assertThat(registry.get("swoole.tasks.queue.peak").gauge().value()).isBetween(4.0, 5.0);
			}
			finally {
				handlers.release.countDown();
			}
		});
	}

	static class GatedHandlers {

		final CountDownLatch release = new CountDownLatch(1);

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(String data) throws InterruptedException {
			this.release.await();
			return data;
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
