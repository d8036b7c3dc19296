package io.swooletask.benchmarks.starter;

import io.swooletask.amqp.AmqpTaskTransport;
import io.swooletask.amqp.AmqpTransportCounters;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * With {@code swoole.server.task-transport=amqp}, prints the transport's counters when
 * the node stops ({@code AMQP published=... consumed=...}), so that {@code scale-out.sh}
 * can show which node ran how many tasks and that none was sent again, delivered again or
 * dead-lettered.
 */
@Component
class AmqpCountersReporter {

	private final ObjectProvider<AmqpTaskTransport> transport;

	AmqpCountersReporter(ObjectProvider<AmqpTaskTransport> transport) {
		this.transport = transport;
	}

	@EventListener
	void onClosed(ContextClosedEvent event) {
		AmqpTaskTransport transport = this.transport.getIfAvailable();
		if (transport != null) {
			AmqpTransportCounters counters = transport.counters();
			System.out.println("AMQP published=" + counters.published() + " republished=" + counters.republished()
					+ " consumed=" + counters.consumed() + " redelivered=" + counters.redelivered() + " deadLettered="
					+ counters.deadLettered() + " duplicates=" + counters.duplicates() + " awaitingReplies="
					+ counters.awaitingReplies() + " replyQueue=" + transport.replyQueue());
		}
	}

}
