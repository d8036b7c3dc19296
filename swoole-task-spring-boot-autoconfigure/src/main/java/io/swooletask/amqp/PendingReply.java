package io.swooletask.amqp;

import java.util.BitSet;

import io.swooletask.task.BackendTask;

/**
 * A task dispatched here whose end has not arrived. Whatever ends it (its last reply, its
 * reply timeout, the stop) first {@linkplain #claim claims} it, and only one does. A
 * finish result is delivered under the same lock and only while the task is unclaimed, so
 * none is delivered after the task ended, and each finish sequence number once.
 */
final class PendingReply {

	private final BackendTask task;

	private final long deadlineNanos;

	private final BitSet sequences = new BitSet();

	private boolean claimed;

	PendingReply(BackendTask task, long deadlineNanos) {
		this.task = task;
		this.deadlineNanos = deadlineNanos;
	}

	BackendTask task() {
		return this.task;
	}

	boolean expiredAt(long nanoTime) {
		return nanoTime - this.deadlineNanos >= 0;
	}

	/**
	 * Delivers a finish result that is not the task's last, unless the task is claimed or
	 * the result was delivered already.
	 * @param sequence the result's finish sequence number
	 * @param delivery delivers it
	 * @return whether it was delivered
	 */
	synchronized boolean finish(int sequence, Runnable delivery) {
		return !this.claimed && deliverOnce(sequence, delivery);
	}

	/**
	 * Claims the task with its last finish result, which is delivered unless it was
	 * already.
	 * @param sequence the result's finish sequence number
	 * @param delivery delivers it
	 * @return whether the task was claimed here
	 */
	synchronized boolean claim(int sequence, Runnable delivery) {
		if (!claim()) {
			return false;
		}
		deliverOnce(sequence, delivery);
		return true;
	}

	private boolean deliverOnce(int sequence, Runnable delivery) {
		if (this.sequences.get(sequence)) {
			return false;
		}
		this.sequences.set(sequence);
		delivery.run();
		return true;
	}

	/**
	 * Claims the task.
	 * @return whether it was claimed here, not before
	 */
	synchronized boolean claim() {
		if (this.claimed) {
			return false;
		}
		this.claimed = true;
		return true;
	}

	@Override
	public String toString() {
		return this.task.toString();
	}

}
