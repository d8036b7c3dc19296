package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * The wake-ups an event loop owes the {@link TaskQueue task queues} it queued untargeted
 * tasks in while it read connections' messages in its current turn. The first one put off
 * schedules a run on the loop, after the turn's reads, that wakes an idle worker of each
 * queue whose tasks are still waiting: the tasks of all the reads of a turn cost one
 * wake-up instead of one each. Outside a read (a finish event, a timer), a loop wakes a
 * worker at once, and so does any other thread, also for tasks queued behind those whose
 * wake-up a loop put off.
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

	private LoopTurnWakes() {
	}

	/**
	 * Marks the start of a message's handling on this event loop: the wake-ups for the
	 * tasks it queues wait for the end of the turn.
	 */
	static void reading() {
		wakes.get().reading = true;
	}

	/**
	 * Marks the end of a read on this event loop: what follows wakes workers at once.
	 */
	static void readComplete() {
		wakes.get().reading = false;
	}

	/**
	 * Puts off the wake-up for a task just queued until the end of the loop's turn, if
	 * the calling thread is the event loop the task was dispatched from and it is
	 * reading.
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
		List<TaskQueue> queues = wakes.queues;
		if (queues.contains(queue)) {
			return true;
		}
		queues.add(queue);
		queue.wakePutOff();
		if (!wakes.scheduled) {
			try {
				executor.execute(wakes);
				wakes.scheduled = true;
			}
			catch (RejectedExecutionException ex) {
				queues.remove(queues.size() - 1);
				queue.wakeSettled();
				return false;
			}
		}
		return true;
	}

	@Override
	public void run() {
		this.scheduled = false;
		this.reading = false;
		for (int i = 0; i < this.queues.size(); i++) {
			TaskQueue queue = this.queues.get(i);
			queue.wakeSettled();
			queue.wakeIfWaiting();
		}
		this.queues.clear();
	}

}
