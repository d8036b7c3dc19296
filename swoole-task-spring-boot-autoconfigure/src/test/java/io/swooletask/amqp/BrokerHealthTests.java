package io.swooletask.amqp;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker's health is a component of its own, {@code swooleBroker}: an outage marks it
 * down and leaves the server's, {@code swoole}, up, so that a liveness probe on the
 * server does not restart a node that still serves its clients.
 */
class BrokerHealthTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void aBrokerOutageMarksTheBrokerDownAndLeavesTheServerUp() throws Exception {
		try (BrokerProxy proxy = BrokerProxy.start()) {
			ConfigurableApplicationContext node = this.nodes.node("node", Map.of("spring.rabbitmq.addresses",
					proxy.address(), "swoole.server.task-worker-num", "1", "swoole.server.shutdown-timeout", "1s"));
			HealthIndicator server = node.getBean("swooleHealthIndicator", HealthIndicator.class);
			HealthIndicator broker = node.getBean("swooleBrokerHealthIndicator", HealthIndicator.class);
			assertThat(broker.health().getStatus()).isEqualTo(Status.UP);
			assertThat(broker.health().getDetails()).containsKeys("taskQueue", "replyQueue", "awaitingReplies");
			assertThat(server.health().getStatus()).isEqualTo(Status.UP);
			proxy.close();
			await().untilAsserted(() -> assertThat(broker.health().getStatus()).isEqualTo(Status.DOWN));
			assertThat(server.health().getStatus()).isEqualTo(Status.UP);
		}
	}

}
