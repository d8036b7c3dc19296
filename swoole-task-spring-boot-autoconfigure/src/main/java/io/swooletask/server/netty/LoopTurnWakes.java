package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The wake-ups an event loop owes the {@link TaskQueue task queues} it queued untargeted
 * tasks in during its current turn. The first such task of a turn schedules one run on
 * the loop, after the turn's reads; that run wakes an idle worker of each queue whose
 * tasks are still waiting. Each loop settles its own, so one loop's long turn never holds
 * back the tasks another loop queued.
 */
final class LoopTurnWakes implements Runnable {

	private static final FastThreadLocal<LoopTurnWakes> wakes = new FastThreadLocal<>() {

		@Override
		protected LoopTurnWakes initialValue() {
			return new LoopTurnWakes();
		}

	};

	private final List<TaskQueue> queues = new ArrayList<>(1);

	private LoopTurnWakes() {
	}

	/**
	 * Defers the wake-up for a task just queued to the end of the loop's turn, if the
	 * calling thread is that loop.
	 * @param queue the queue the task is in
	 * @param loop the event loop the task was dispatched from
	 * @return whether the wake-up is deferred; if not, the caller wakes a worker itself
	 */
	static boolean deferred(TaskQueue queue, Executor loop) {
		if (!(loop instanceof EventExecutor executor) || !executor.inEventLoop()) {
			return false;
		}
		LoopTurnWakes wakes = LoopTurnWakes.wakes.get();
		List<TaskQueue> queues = wakes.queues;
		if (queues.contains(queue)) {
			return true;
		}
		if (queues.isEmpty()) {
			try {
				executor.execute(wakes);
			}
			catch (RejectedExecutionException ex) {
				return false;
			}
		}
		queues.add(queue);
		return true;
	}

	@Override
	public void run() {
		for (int i = 0; i < this.queues.size(); i++) {
			this.queues.get(i).wakeIfWaiting();
		}
		this.queues.clear();
	}

}
