package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * The wake-ups an event loop owes the {@link TaskQueue task queues} it queued untargeted
 * tasks in while it handled messages it read in its current turn. The first one put off
 * schedules a run on the loop, after the turn's reads, that wakes an idle worker of each
 * queue whose tasks are still waiting: the tasks of all the reads of a turn cost one
 * wake-up instead of one each, up to a queue's {@link TaskQueue#putOffLimit() limit}: the
 * task past it wakes a worker at once, so that the tasks a turn queues while the workers
 * sleep never take more than their share of the capacity. Outside the handling of a
 * message read (a finish event, a timer), a loop wakes a worker at once, and so does any
 * other thread, also for tasks queued behind those whose wake-up a loop put off.
 */
final class LoopTurnWakes implements Runnable {

	private static final FastThreadLocal<LoopTurnWakes> wakes = new FastThreadLocal<>() {

		@Override
		protected LoopTurnWakes initialValue() {
			return new LoopTurnWakes();
		}

	};

	private final List<TaskQueue> queues = new ArrayList<>(1);

	private boolean reading;

	private boolean scheduled;

	/**
	 * The tasks queued since the last wake-up, by this turn's reads.
	 */
	private int putOff;

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
	 * the calling thread is the event loop the task was dispatched from and it is
	 * handling a message it read, and the wake-up has not been put off for as many tasks
	 * as the queue's limit since the last one.
	 * @param queue the queue the task is in
	 * @param loop the event loop the task was dispatched from
	 * @return whether the wake-up is put off; if not, the caller wakes a worker itself
	 */
	static boolean deferred(TaskQueue queue, Executor loop) {
		if (!(loop instanceof SingleThreadEventExecutor executor) || !executor.inEventLoop()) {
			return false;
		}
		LoopTurnWakes wakes = LoopTurnWakes.wakes.get();
		if (!wakes.reading) {
			return false;
		}
		if (wakes.putOff >= queue.putOffLimit()) {
			wakes.putOff = 0;
			return false;
		}
		if (!wakes.scheduled) {
			try {
				executor.execute(wakes);
			}
			catch (RejectedExecutionException ex) {
				return false;
			}
			wakes.scheduled = true;
		}
		List<TaskQueue> queues = wakes.queues;
		if (!queues.contains(queue)) {
			queues.add(queue);
			queue.wakePutOff();
		}
		wakes.putOff++;
		return true;
	}

	@Override
	public void run() {
		this.scheduled = false;
		this.putOff = 0;
		List<TaskQueue> queues = this.queues;
		for (int i = 0; i < queues.size(); i++) {
			queues.get(i).wakeSettled();
		}
		try {
			for (int i = 0; i < queues.size(); i++) {
				queues.get(i).wakeIfWaiting();
			}
		}
		finally {
			queues.clear();
		}
	}

}
