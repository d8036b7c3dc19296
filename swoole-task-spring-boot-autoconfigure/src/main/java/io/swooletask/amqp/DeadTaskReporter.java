package io.swooletask.amqp;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Consumes the dead-letter queue: a task the broker gave up on, after its workers died on it
 * {@code delivery-limit} times, is reported to its origin as failed, naming the reason.
 */
final class DeadTaskReporter implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(DeadTaskReporter.class);

	private final TaskCodec codec;

	private final int deliveryLimit;

	private final long confirmTimeoutMillis;

	private final ReturnedReplies returned;

	DeadTaskReporter(TaskCodec codec, int deliveryLimit, long confirmTimeoutMillis, ReturnedReplies returned) {
		this.codec = codec;
		this.deliveryLimit = deliveryLimit;
		this.confirmTimeoutMillis = confirmTimeoutMillis;
		this.returned = returned;
	}

	@Override
	public void onMessage(Message message, Channel channel) throws Exception {
		MessageProperties properties = message.getMessageProperties();
		long id = TaskMessages.longHeader(properties, TaskMessages.TASK_ID);
		String reason = TaskMessages.stringHeader(properties, TaskMessages.FIRST_DEATH_REASON);
		String text = "Task " + id + " was dead-lettered by the broker (" + ((reason != null) ? reason : "unknown")
				+ "): no worker acknowledged it within " + (this.deliveryLimit + 1)
				+ " deliveries (swoole.server.amqp.delivery-limit=" + this.deliveryLimit + ")";
		logger.warn(text);
		ChannelReplies replies = new ChannelReplies(channel, properties.getReplyTo(), this.codec, this.returned);
		replies.dead(id, text);
		replies.confirm(this.confirmTimeoutMillis);
		channel.basicAck(properties.getDeliveryTag(), false);
	}

}
