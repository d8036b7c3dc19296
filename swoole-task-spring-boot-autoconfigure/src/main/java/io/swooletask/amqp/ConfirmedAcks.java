package io.swooletask.amqp;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Acknowledges the tasks taken on one channel once the broker has confirmed their
 * replies, without the worker waiting for it: the worker {@linkplain #expect expects} a
 * confirm for each reply it publishes and {@linkplain #settle settles} the task once its
 * replies are out, then takes its next task while the confirms come in on the
 * connection's thread. Tasks are settled in the order they were delivered, so the tasks
 * whose replies are all confirmed are acknowledged together, with {@code multiple=true}.
 * A task with a reply the broker refused is rejected back to the queue to run again, and
 * a task the worker left unsettled (cut short by the node stopping) is never covered by a
 * multiple acknowledgement.
 */
final class ConfirmedAcks implements ConfirmListener {

	private static final Log logger = LogFactory.getLog(ConfirmedAcks.class);

	private final Channel channel;

	private final NavigableSet<Long> unconfirmed = new TreeSet<>();

	private final NavigableSet<Long> refused = new TreeSet<>();

	private final ArrayDeque<Settled> settled = new ArrayDeque<>();

	private long nextTag = 1;

	private boolean gapped;

	private ConfirmedAcks(Channel channel) {
		this.channel = channel;
	}

	/**
	 * Puts a channel in confirm mode and tracks its confirms.
	 * @param channel the channel the tasks are taken and their replies published on
	 * @return the acknowledgements of the tasks taken on it
	 * @throws IOException if the channel cannot be put in confirm mode
	 */
	static ConfirmedAcks open(Channel channel) throws IOException {
		ConfirmedAcks acks = new ConfirmedAcks(channel);
		channel.confirmSelect();
		channel.addConfirmListener(acks);
		channel.addShutdownListener((cause) -> acks.closed());
		return acks;
	}

	/**
	 * Notes that a reply is about to be published on the channel.
	 */
	synchronized void expect() {
		this.unconfirmed.add(this.channel.getNextPublishSeqNo());
	}

	/**
	 * Acknowledges a task once the replies it published from {@code firstSequence} on are
	 * confirmed, or rejects it if the broker refused one.
	 * @param deliveryTag the task's delivery tag on this channel
	 * @param firstSequence the publish sequence number of its first reply
	 */
	synchronized void settle(long deliveryTag, long firstSequence) {
		this.settled.add(new Settled(deliveryTag, firstSequence, this.channel.getNextPublishSeqNo() - 1, false));
		acknowledgeConfirmed();
	}

	/**
	 * Rejects a task that is not run, without sending it back to the queue, in its turn
	 * among the settled tasks, so that the tasks after it are still acknowledged
	 * together.
	 * @param deliveryTag the task's delivery tag on this channel
	 */
	synchronized void discard(long deliveryTag) {
		long next = this.channel.getNextPublishSeqNo();
		this.settled.add(new Settled(deliveryTag, next, next - 1, true));
		acknowledgeConfirmed();
	}

	/**
	 * The next publish sequence number on the channel: a task's replies start there.
	 * @return the sequence number
	 */
	long nextSequence() {
		return this.channel.getNextPublishSeqNo();
	}

	/**
	 * Waits until every settled task is acknowledged or rejected, or the channel closes
	 * (which sends its unacknowledged tasks back to the queue).
	 * @param deadline until when to wait
	 * @throws InterruptedException if the thread is interrupted while waiting
	 */
	synchronized void awaitAcknowledged(StopDeadline deadline) throws InterruptedException {
		long remaining;
		while (!this.settled.isEmpty() && this.channel.isOpen() && (remaining = deadline.remainingNanos()) > 0) {
			TimeUnit.NANOSECONDS.timedWait(this, remaining);
		}
	}

	@Override
	public synchronized void handleAck(long sequence, boolean multiple) {
		confirmed(sequence, multiple).clear();
		acknowledgeConfirmed();
	}

	@Override
	public synchronized void handleNack(long sequence, boolean multiple) {
		NavigableSet<Long> confirmed = confirmed(sequence, multiple);
		this.refused.addAll(confirmed);
		confirmed.clear();
		acknowledgeConfirmed();
	}

	private synchronized void closed() {
		notifyAll();
	}

	private NavigableSet<Long> confirmed(long sequence, boolean multiple) {
		return multiple ? this.unconfirmed.headSet(sequence, true)
				: this.unconfirmed.subSet(sequence, true, sequence, true);
	}

	private void acknowledgeConfirmed() {
		long runEnd = 0;
		Settled task;
		while ((task = this.settled.peek()) != null && !awaitsConfirm(task)) {
			this.settled.poll();
			this.gapped |= task.deliveryTag() != this.nextTag;
			this.nextTag = task.deliveryTag() + 1;
			NavigableSet<Long> refused = this.refused.headSet(task.lastSequence(), true);
			if (task.discarded()) {
				reject(task.deliveryTag(), false);
			}
			else if (!refused.isEmpty()) {
				refused.clear();
				reject(task.deliveryTag(), true);
			}
			else if (this.gapped) {
				acknowledge(task.deliveryTag(), false);
			}
			else {
				runEnd = task.deliveryTag();
			}
		}
		if (runEnd > 0) {
			acknowledge(runEnd, true);
		}
		if (this.settled.isEmpty()) {
			notifyAll();
		}
	}

	private boolean awaitsConfirm(Settled task) {
		Long first = this.unconfirmed.ceiling(task.firstSequence());
		return first != null && first <= task.lastSequence();
	}

	private void acknowledge(long deliveryTag, boolean multiple) {
		try {
			this.channel.basicAck(deliveryTag, multiple);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Cannot acknowledge task delivery " + deliveryTag + "; it is delivered again: " + ex);
		}
	}

	private void reject(long deliveryTag, boolean requeue) {
		try {
			this.channel.basicReject(deliveryTag, requeue);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Cannot reject task delivery " + deliveryTag + "; it is delivered again: " + ex);
		}
	}

	private record Settled(long deliveryTag, long firstSequence, long lastSequence, boolean discarded) {
	}

}
