package io.swooletask.benchmarks.starter;

import java.util.Map;

import io.swooletask.amqp.AmqpTaskTransport;

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
			Map<String, Long> counts = transport.counts();
			System.out.println("AMQP published=" + counts.get("published") + " republished=" + counts.get("republished")
					+ " consumed=" + counts.get("consumed") + " redelivered=" + counts.get("redelivered")
					+ " deadLettered=" + counts.get("deadLettered") + " duplicates=" + counts.get("duplicates")
					+ " awaitingReplies=" + counts.get("awaitingReplies") + " replyQueue=" + transport.replyQueue());
		}
	}

}
