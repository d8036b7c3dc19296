package io.swooletask.amqp;

import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.util.Assert;

/**
 * Consumes the dead-letter queue: a task the broker gave up on, after its workers died on
 * it {@code delivery-limit} times, is reported to its origin as failed, naming the
 * reason. It is acknowledged once the broker confirmed that report. A task that expired
 * in the queue is reported the same way, though its origin has timed it out already. A
 * task message a task worker rejected as malformed is dropped: the worker logged why, and
 * it came from no node.
 */
final class DeadTaskReporter implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(DeadTaskReporter.class);

	/** The death reason of a task a task worker rejected. */
	private static final String REJECTED = "rejected";

	private static final String EXPIRED = "expired";

	private final LongAdder expired = new LongAdder();

	private final TaskCodec codec;

	private final AmqpTopology topology;

	private final ConfirmingChannels channels;

	DeadTaskReporter(TaskCodec codec, AmqpTopology topology, ConfirmingChannels channels) {
		this.codec = codec;
		this.topology = topology;
		this.channels = channels;
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		Assert.notNull(channel, "The dead task listener container must pass its channel");
		MessageProperties properties = message.getMessageProperties();
		ConfirmedAcks acks = this.channels.acks(channel);
		String reason = TaskMessages.stringHeader(properties, TaskMessages.FIRST_DEATH_REASON);
		if (REJECTED.equals(reason)) {
			logger.debug("A task message a task worker rejected as malformed is dropped (message id "
					+ properties.getMessageId() + ")");
			acks.discard(properties.getDeliveryTag());
			return;
		}
		long id;
		String replyTo;
		try {
			id = TaskMessages.longHeader(properties, TaskMessages.TASK_ID);
			replyTo = TaskMessages.replyTo(properties, this.topology);
		}
		catch (MalformedMessageException ex) {
			logger.warn("A malformed dead task message is dropped: " + ex.getMessage());
			acks.discard(properties.getDeliveryTag());
			return;
		}
		String text;
		if (EXPIRED.equals(reason)) {
			this.expired.increment();
			text = "Task " + id + " expired in the work queue, unrun: its reply timeout passed before a worker"
					+ " took it (swoole.server.amqp.reply-timeout)";
			logger.debug(text); // its origin has timed it out already
		}
		else {
			text = "Task " + id + " was dead-lettered by the broker (" + ((reason != null) ? reason : "unknown")
					+ "): no worker acknowledged it within " + (this.topology.deliveryLimit() + 1)
					+ " deliveries (swoole.server.amqp.delivery-limit=" + this.topology.deliveryLimit() + ")";
			logger.warn(text);
		}
		ChannelReplies replies = new ChannelReplies(channel, acks, properties.getDeliveryTag(), replyTo, this.codec);
		replies.dead(id, text);
		replies.settle();
	}

	long expired() {
		return this.expired.sum();
	}

}
