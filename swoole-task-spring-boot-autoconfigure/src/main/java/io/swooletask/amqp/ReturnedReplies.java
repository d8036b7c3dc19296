package io.swooletask.amqp;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The replies the broker gave back to this node's workers because they could not be
 * routed: replies are published mandatory, so a reply whose origin's reply queue is gone
 * comes back here instead of vanishing. Each is logged and counted; its task ends at its
 * origin when the reply timeout passes.
 */
final class ReturnedReplies implements ReturnListener {

	private static final Log logger = LogFactory.getLog(ReturnedReplies.class);

	private final LongAdder returned = new LongAdder();

	/**
	 * Listens for the replies returned on a channel, once however often it is called for
	 * that channel.
	 * @param channel the channel the replies are published on
	 */
	void listenTo(Channel channel) {
		channel.removeReturnListener(this);
		channel.addReturnListener(this);
	}

	@Override
	public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
			AMQP.BasicProperties properties, byte[] body) {
		this.returned.increment();
		Map<String, Object> headers = properties.getHeaders();
		logger.warn("The " + headers.get(TaskMessages.KIND) + " reply to task " + headers.get(TaskMessages.TASK_ID)
				+ " was returned by the broker (" + replyCode + " " + replyText + "): the reply queue '" + routingKey
				+ "' of its origin is gone; the task fails there at swoole.server.amqp.reply-timeout");
	}

	long returned() {
		return this.returned.sum();
	}

}
