package io.swooletask.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.jspecify.annotations.Nullable;

/**
 * Sends the replies of one task to its origin's reply queue on the channel the task came
 * on, which is in confirm mode, and has the task acknowledged once the broker has its
 * replies. They are published mandatory: one that cannot be routed goes to the
 * {@link ReturnedReplies}.
 */
final class ChannelReplies implements RemoteTask.Replies {

	private final Channel channel;

	private final ConfirmedAcks acks;

	private final long deliveryTag;

	private final long firstSequence;

	private final String replyTo;

	private final TaskCodec codec;

	ChannelReplies(Channel channel, ConfirmedAcks acks, long deliveryTag, String replyTo, TaskCodec codec) {
		this.channel = channel;
		this.acks = acks;
		this.deliveryTag = deliveryTag;
		this.firstSequence = acks.nextSequence();
		this.replyTo = replyTo;
		this.codec = codec;
	}

	@Override
	public void send(long taskId, TaskMessages.Kind kind, int sequence, int workerId, @Nullable Object result)
			throws IOException {
		byte[] body = (result != null) ? this.codec.write(result, "Finish result") : new byte[0];
		String type = (result != null) ? result.getClass().getName() : null;
		publish(TaskMessages.reply(taskId, kind, sequence, workerId, type), body);
	}

	@Override
	public void failed(long taskId, int sequence, int workerId, String reason) throws IOException {
		sendText(taskId, TaskMessages.Kind.FAILED, sequence, workerId, reason);
	}

	void dead(long taskId, String reason) throws IOException {
		sendText(taskId, TaskMessages.Kind.DEAD, 0, -1, reason);
	}

	private void sendText(long taskId, TaskMessages.Kind kind, int sequence, int workerId, String text)
			throws IOException {
		publish(TaskMessages.reply(taskId, kind, sequence, workerId, null), text.getBytes(StandardCharsets.UTF_8));
	}

	private void publish(AMQP.BasicProperties properties, byte[] body) throws IOException {
		this.acks.expect();
		this.channel.basicPublish("", this.replyTo, true, properties, body);
	}

	/**
	 * Has the task acknowledged once the broker confirmed the replies sent, without
	 * waiting for it.
	 */
	void settle() {
		this.acks.settle(this.deliveryTag, this.firstSequence);
	}

}
