package io.swooletask.amqp;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands the partitions of the ordered tasks that this node's workers take over to the
 * consumers waiting on them on other nodes, when the node stops, without breaking the
 * order of a key. Cancelling a consumer would make the broker activate the next one at
 * once, while the task running here has not ended and the tasks taken ahead are still
 * held here: the next node would run later tasks first. So the node first lets the
 * running task end, its acknowledgement go and the writes it made to other nodes leave,
 * and then closes the channels: the broker gives the tasks held back and removes the
 * consumer in one step, and the next consumer starts from the first task not run. A
 * delivery that arrives once the handover has begun, on a consumer the container
 * restarted after its channel was closed, closes its channel the same way. A task still
 * running at the deadline is not waited for: the next node may run it again meanwhile.
 */
final class PartitionHandover {

	private static final Log logger = LogFactory.getLog(PartitionHandover.class);

	/** The deliveries of the partitions being handled now. */
	private final AtomicInteger handling = new AtomicInteger();

	private final Set<Channel> channels = ConcurrentHashMap.newKeySet();

	private final NodeOutbox outbox;

	private volatile boolean handingOver;

	PartitionHandover(NodeOutbox outbox) {
		this.outbox = outbox;
	}

	/**
	 * Starts handling a delivery of a partition; {@link #exit()} ends it, whatever this
	 * returns.
	 * @param channel the channel it came on
	 * @return whether it may run: not once the node hands its partitions over, when it is
	 * to be {@linkplain #giveBack given back}
	 */
	boolean enter(Channel channel) {
		this.handling.incrementAndGet();
		if (this.handingOver) {
			return false;
		}
		this.channels.add(channel);
		return true;
	}

	void exit() {
		this.handling.decrementAndGet();
	}

	/**
	 * Gives back a delivery that arrived once the handover had begun, with every task its
	 * channel holds: once the acknowledgements of the tasks run on it went, and the
	 * writes made before now left, its channel is closed.
	 * @param channel the channel
	 * @param acks the acknowledgements of the channel
	 * @param deadline when the node's stop must be over
	 */
	void giveBack(Channel channel, ConfirmedAcks acks, StopDeadline deadline) {
		try {
			acks.awaitAcknowledged(deadline);
			awaitWritesSent(deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		ClosedChannels.closeForGood(channel, "a partition of the ordered tasks");
	}

	/**
	 * Waits until the deadline for the deliveries being handled to end, for their
	 * acknowledgements to go and for the writes made so far to leave, then closes the
	 * channels of the partitions.
	 * @param deadline when the node's stop must be over
	 * @param acks the acknowledgements of the tasks run
	 */
	void handOver(StopDeadline deadline, ConfirmingChannels acks) {
		this.handingOver = true;
		try {
			awaitUntil(() -> this.handling.get() == 0, deadline);
			acks.awaitAcknowledged(deadline);
			awaitWritesSent(deadline);
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

	private void awaitWritesSent(StopDeadline deadline) throws InterruptedException {
		long mark = this.outbox.taken();
		awaitUntil(() -> this.outbox.isSentUpTo(mark), deadline);
	}

	private static void awaitUntil(BooleanSupplier condition, StopDeadline deadline) throws InterruptedException {
		while (!condition.getAsBoolean() && deadline.remainingNanos() > 0) {
			Thread.sleep(Math.max(1, Math.min(5, deadline.remainingMillis())));
		}
	}

}
