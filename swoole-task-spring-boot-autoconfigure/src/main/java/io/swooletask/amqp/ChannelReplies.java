package io.swooletask.amqp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;

/**
 * Sends the replies of one task to its origin's reply queue on the channel the task came on, which is
 * in confirm mode, so that the task is acknowledged only after the broker has its replies. They are
 * published mandatory: one that cannot be routed goes to the {@link ReturnedReplies}.
 */
final class ChannelReplies implements RemoteTask.Replies {

	private static final ThreadLocal<Channel> confirming = new ThreadLocal<>();

	private final Channel channel;

	private final String replyTo;

	private final TaskCodec codec;

	ChannelReplies(Channel channel, String replyTo, TaskCodec codec, ReturnedReplies returned) throws IOException {
		this.channel = channel;
		this.replyTo = replyTo;
		this.codec = codec;
		if (confirming.get() != channel) {
			channel.confirmSelect();
			returned.listenTo(channel);
			confirming.set(channel);
		}
	}

	@Override
	public void send(long taskId, TaskMessages.Kind kind, int sequence, int workerId, Object result)
			throws IOException {
		byte[] body = (result != null) ? this.codec.write(result, "Finish result") : new byte[0];
		String type = (result != null) ? result.getClass().getName() : null;
		this.channel.basicPublish("", this.replyTo, true, TaskMessages.reply(taskId, kind, sequence, workerId, type),
				body);
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
		this.channel.basicPublish("", this.replyTo, true, TaskMessages.reply(taskId, kind, sequence, workerId, null),
				text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Waits until the broker has confirmed every reply sent on the channel.
	 */
	void confirm(long timeoutMillis) throws IOException, InterruptedException, TimeoutException {
		this.channel.waitForConfirmsOrDie(timeoutMillis);
	}

}
