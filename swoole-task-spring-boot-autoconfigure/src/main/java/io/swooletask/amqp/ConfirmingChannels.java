package io.swooletask.amqp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;

import org.springframework.amqp.rabbit.connection.ChannelProxy;

/**
 * The consumer channels a node publishes replies on, each in confirm mode with the
 * {@link ConfirmedAcks} of the tasks taken on it and the {@link ReturnedReplies}
 * listening. A channel is forgotten when it closes; its unacknowledged tasks go back to
 * the queue with it.
 */
final class ConfirmingChannels {

	private final Map<Channel, ConfirmedAcks> acks = new ConcurrentHashMap<>();

	private final ReturnedReplies returned;

	ConfirmingChannels(ReturnedReplies returned) {
		this.returned = returned;
	}

	/**
	 * The acknowledgements of the tasks taken on a channel, called on the channel's
	 * consumer thread.
	 * @param channel the channel, as the listener container gives it
	 * @return its acknowledgements
	 * @throws IOException if the channel cannot be put in confirm mode
	 */
	ConfirmedAcks acks(Channel channel) throws IOException {
		Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
		ConfirmedAcks acks = this.acks.get(target);
		if (acks == null) {
			acks = ConfirmedAcks.open(target);
			this.returned.listenTo(target);
			this.acks.put(target, acks);
			target.addShutdownListener((cause) -> this.acks.remove(target));
		}
		return acks;
	}

	/**
	 * How many channels are tracked: those open, and those whose closing is not yet known
	 * here.
	 */
	int size() {
		return this.acks.size();
	}

	/**
	 * Waits until the tasks settled on every open channel are acknowledged.
	 * @param deadline until when to wait
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	void awaitAcknowledged(StopDeadline deadline) throws InterruptedException {
		for (ConfirmedAcks acks : this.acks.values()) {
			acks.awaitAcknowledged(deadline);
		}
	}

}
