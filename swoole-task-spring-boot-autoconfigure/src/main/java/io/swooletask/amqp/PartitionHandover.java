package io.swooletask.amqp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands the partitions of the ordered tasks that this node's workers take over to the
 * consumers waiting on them on other nodes, when the node stops, without breaking the
 * order of a key. Cancelling a consumer would make the broker activate the next one at
 * once, while the task running here has not ended and the tasks taken ahead are still
 * held here: the next node would run later tasks first. So the node first lets the
 * running task end and its acknowledgement go, and then closes the channels: the broker
 * gives the tasks held back and removes the consumer in one step, and the next consumer
 * starts from the first task not run.
 */
final class PartitionHandover {

	private static final Log logger = LogFactory.getLog(PartitionHandover.class);

	/** The deliveries of the partitions being handled now. */
	private final AtomicInteger handling = new AtomicInteger();

	private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

	private volatile boolean handingOver;

	/**
	 * Starts handling a delivery of a partition; {@link #exit()} ends it, whatever this
	 * returns.
	 * @param channel the channel it came on
	 * @return whether it may run: not once the node hands its partitions over, when it
	 * stays unacknowledged until its channel is closed
	 */
	boolean enter(Channel channel) {
		this.handling.incrementAndGet();
		this.channels.add(channel);
		return !this.handingOver;
	}

	void exit() {
		this.handling.decrementAndGet();
	}

	/**
	 * Waits until the deadline for the deliveries being handled to end and for their
	 * acknowledgements to go, then closes the channels of the partitions.
	 * @param deadline when the node's stop must be over
	 * @param acks the acknowledgements of the tasks run
	 */
	void handOver(StopDeadline deadline, ConfirmingChannels acks) {
		this.handingOver = true;
		try {
			while (this.handling.get() > 0 && deadline.remainingNanos() > 0) {
				Thread.sleep(Math.max(1, Math.min(5, deadline.remainingMillis())));
			}
			acks.awaitAcknowledged(deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!this.channels.isEmpty()) {
			logger.info("Handing " + this.channels.size() + " partitions of the ordered tasks over to the nodes"
					+ " waiting on them: closing their channels returns the tasks taken ahead here to their queues,"
					+ " before any later one (the listener container logs each closed channel)");
		}
		for (Channel channel : this.channels) {
			ClosedChannels.closeForGood(channel, "a partition of the ordered tasks");
		}
		this.channels.clear();
	}

}
