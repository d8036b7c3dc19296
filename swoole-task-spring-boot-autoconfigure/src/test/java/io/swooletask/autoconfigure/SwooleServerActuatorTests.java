package io.swooletask.autoconfigure;

import io.swooletask.server.ServerStats;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class SwooleServerActuatorTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SwooleServerActuatorAutoConfiguration.class))
		.withBean(EchoTaskHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true");

	@Test
	void healthIsUpWithAddressConnectionsAndQueueWhileRunning() {
		this.runner.run((context) -> {
			SwooleHealthIndicator indicator = context.getBean("swooleHealthIndicator", SwooleHealthIndicator.class);
			int port = context.getEnvironment().getProperty("local.swoole.server.port", Integer.class);
			try (TestClient client = TestClient.connect(port)) {
				assertThat(client.send("x\r\n").readLine()).isEqualTo("x -> OK");
				Health health = indicator.health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("address", "127.0.0.1:" + port)
					.containsEntry("connections", 1)
					.containsEntry("taskQueue", 0)
					.containsEntry("taskWorkers", 2);
			}
		});
	}

	@Test
	void healthIsDownAfterStop() {
		this.runner.run((context) -> {
			context.getBean(SwooleServerBootstrap.class).stop();
			context.getBean(SwooleTaskPoolBootstrap.class).stop();
			Health health = context.getBean(SwooleHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).containsEntry("running", false);
		});
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.swoole.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SwooleHealthIndicator.class));
	}

	@Test
	void endpointReturnsStatsWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=swoole").run((context) -> {
			ServerStats stats = context.getBean(SwooleEndpoint.class).stats();
			assertThat(stats.taskWorkerNum()).isEqualTo(2);
			assertThat(stats.startTime()).isNotNull();
		});
	}

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SwooleEndpoint.class));
	}

}
