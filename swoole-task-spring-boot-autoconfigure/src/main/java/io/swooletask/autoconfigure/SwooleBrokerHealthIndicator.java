package io.swooletask.autoconfigure;

import io.swooletask.amqp.AmqpTaskTransport;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of the amqp transport's broker, apart from the server's: up while a
 * connection to it is open or can be opened, with the queues and the tasks awaiting their
 * end as details. A broker outage marks this component down and leaves the {@code swoole}
 * one as it is, so that a liveness group holding the server's health alone does not
 * restart a node for it.
 */
class SwooleBrokerHealthIndicator extends AbstractHealthIndicator {

	private final AmqpTaskTransport transport;

	SwooleBrokerHealthIndicator(AmqpTaskTransport transport) {
		super("Swoole broker health check failed");
		this.transport = transport;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.status(this.transport.isBrokerUp() ? "UP" : "DOWN").withDetails(this.transport.brokerDetails());
	}

}
