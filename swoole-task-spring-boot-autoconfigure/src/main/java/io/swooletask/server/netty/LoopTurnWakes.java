package io.swooletask.server.netty;

import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.IoEventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The wake-ups an I/O event loop owes the {@link TaskQueue task queues} it queued
 * untargeted tasks in while it handled messages it read in its current turn. The first
 * one put off schedules a run at the end of the turn, after its reads and its tasks, that
 * wakes an idle worker of each queue whose tasks are still waiting: the tasks of all the
 * reads of a turn cost one wake-up instead of one each, up to a queue's
 * {@link TaskQueue#putOffLimit() limit}, counted per queue: the task past it wakes a
 * worker at once, so that the tasks a turn queues while the workers sleep never take more
 * than their share of the capacity. Outside the handling of a message read (a finish
 * event, a timer), a loop wakes a worker at once, and so does any other thread, also for
 * tasks queued behind those whose wake-up a loop put off.
 */
final class LoopTurnWakes implements Runnable {

	private static final FastThreadLocal<LoopTurnWakes> wakes = new FastThreadLocal<>() {

		@Override
		protected LoopTurnWakes initialValue() {
			return new LoopTurnWakes();
		}

	};

	private TaskQueue[] queues = new TaskQueue[1];

	/**
	 * For each of the {@link #queues}, the tasks queued in it since its last wake-up.
	 */
	private int[] putOff = new int[1];

	private int size;

	private boolean reading;

	private boolean scheduled;

	private LoopTurnWakes() {
	}

	/**
	 * Marks this event loop as handling a message it read, until {@link #readEnded}: the
	 * wake-ups for the tasks it queues meanwhile wait for the end of the turn.
	 * @return whether it was marked before, for {@code readEnded}
	 */
	static boolean readStarted() {
		LoopTurnWakes wakes = LoopTurnWakes.wakes.get();
		boolean was = wakes.reading;
		wakes.reading = true;
		return was;
	}

	/**
	 * Ends what {@link #readStarted()} began, in a {@code finally} block.
	 * @param was what {@code readStarted()} returned
	 */
	static void readEnded(boolean was) {
		wakes.get().reading = was;
	}

	/**
	 * Puts off the wake-up for a task just queued until the end of the loop's turn, if
	 * the calling thread is the I/O event loop the task was dispatched from and it is
	 * handling a message it read, and the wake-up has not been put off for as many tasks
	 * of the queue as its limit since the last one.
	 * @param queue the queue the task is in
	 * @param loop the event loop the task was dispatched from
	 * @return whether the wake-up is put off; if not, the caller wakes a worker itself
	 */
	static boolean deferred(TaskQueue queue, Executor loop) {
		if (!(loop instanceof IoEventLoop) || !(loop instanceof SingleThreadEventLoop executor)
				|| !executor.inEventLoop()) {
			return false;
		}
		LoopTurnWakes wakes = LoopTurnWakes.wakes.get();
		if (!wakes.reading) {
			return false;
		}
		int index = wakes.indexOf(queue);
		int putOff = (index >= 0) ? wakes.putOff[index] : 0;
		if (putOff >= queue.putOffLimit()) {
			if (index >= 0) {
				wakes.putOff[index] = 0;
			}
			return false;
		}
		if (!wakes.scheduled) {
			try {
				executor.executeAfterEventLoopIteration(wakes);
			}
			catch (RejectedExecutionException ex) {
				return false;
			}
			wakes.scheduled = true;
		}
		if (index < 0) {
			index = wakes.add(queue);
			queue.wakePutOff();
		}
		wakes.putOff[index]++;
		return true;
	}

	private int indexOf(TaskQueue queue) {
		for (int i = 0; i < this.size; i++) {
			if (this.queues[i] == queue) {
				return i;
			}
		}
		return -1;
	}

	private int add(TaskQueue queue) {
		if (this.size == this.queues.length) {
			this.queues = Arrays.copyOf(this.queues, this.size * 2);
			this.putOff = Arrays.copyOf(this.putOff, this.size * 2);
		}
		this.queues[this.size] = queue;
		this.putOff[this.size] = 0;
		return this.size++;
	}

	@Override
	public void run() {
		this.scheduled = false;
		TaskQueue[] queues = this.queues;
		int size = this.size;
		for (int i = 0; i < size; i++) {
			queues[i].wakeSettled();
		}
		try {
			for (int i = 0; i < size; i++) {
				queues[i].wakeIfWaiting();
			}
		}
		finally {
			Arrays.fill(queues, 0, size, null);
			this.size = 0;
		}
	}

}
