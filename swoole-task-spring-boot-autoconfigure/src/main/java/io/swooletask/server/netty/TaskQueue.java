package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.ServerShutdownException;

/**
 * The queues between admission and the local task workers: one shared queue of untargeted
 * tasks, and one per worker of the tasks targeted at it. A worker takes its own next task
 * first, else the next shared one, so a slow task never holds back a task another worker
 * could run, and parks while there is none. Workers are woken one at a time: an offer
 * wakes one only when its task is at the head of the shared queue (none was waiting
 * before it), and a worker that takes a task, its own or a shared one, and sees shared
 * ones left wakes the next: a worker woken for a shared task that takes its own first
 * passes the wake-up on. A burst wakes workers one by one instead of once per task; both
 * read the queue itself, so no counter shared by the loops and the workers is written per
 * task. An event loop reading connections does not wake a worker per task: it wakes one,
 * if tasks are still waiting, at the end of its turn ({@link LoopTurnWakes}), so that the
 * tasks of the turn's reads cost one wake-up, not one each, up to the queue's
 * {@link #putOffLimit() limit}.
 */
final class TaskQueue {

	private final Queue<DispatchedTask> shared = new ConcurrentLinkedQueue<>();

	private final Slot[] slots;

	private volatile boolean closed;

	/**
	 * How many event loops have put off the wake-up for tasks they queued here.
	 */
	private final AtomicInteger wakesPutOff = new AtomicInteger();

	/**
	 * Where the next search for an idle worker starts; a racy hint that spreads wake-ups.
	 */
	private int nextWake;

	private final int putOffLimit;

	/**
	 * Creates the queues.
	 * @param workers how many workers take tasks
	 * @param putOffLimit the most untargeted tasks an event loop may queue in a row
	 * without waking a worker
	 */
	TaskQueue(int workers, int putOffLimit) {
		this.putOffLimit = putOffLimit;
		this.slots = new Slot[workers];
		for (int i = 0; i < workers; i++) {
			this.slots[i] = new Slot();
		}
	}

	/**
	 * Queues a task for a worker to take. If the queue closed meanwhile, the task is
	 * taken back unless the close or a worker took it first.
	 * @throws ServerShutdownException when the queue is closed and the task will not run
	 */
	void offer(DispatchedTask task) {
		int target = target(task);
		Queue<DispatchedTask> queue = (target == DispatchedTask.ANY_WORKER) ? this.shared : this.slots[target].own;
		// counted before the task is visible, so that a task another thread queues behind
		// it sees the wake-up put off
		boolean deferred = target == DispatchedTask.ANY_WORKER
				&& LoopTurnWakes.deferred(this, task.origin().executor());
		queue.offer(task);
		if (this.closed && queue.remove(task)) {
			throw new ServerShutdownException("Task rejected: the server is stopping");
		}
		if (target != DispatchedTask.ANY_WORKER) {
			this.slots[target].wake();
		}
		else if (!deferred && (this.shared.peek() == task || this.wakesPutOff.get() > 0)) {
			// a task queued behind one whose wake-up a loop put off does not wait for it
			wakeIdleWorker();
		}
	}

	/**
	 * An event loop put off the wake-up for the untargeted tasks it queues until the end
	 * of its turn.
	 */
	void wakePutOff() {
		this.wakesPutOff.incrementAndGet();
	}

	/**
	 * An event loop settles a wake-up it put off: {@link #wakeIfWaiting()} follows.
	 */
	void wakeSettled() {
		this.wakesPutOff.decrementAndGet();
	}

	/**
	 * The most untargeted tasks an event loop may queue in a row without waking a worker.
	 * @return the limit
	 */
	int putOffLimit() {
		return this.putOffLimit;
	}

	int wakesPutOff() {
		return this.wakesPutOff.get();
	}

	/**
	 * Wakes an idle worker if untargeted tasks are waiting: what an event loop does at
	 * the end of a turn in which it read, in place of a wake-up per task.
	 */
	void wakeIfWaiting() {
		if (!this.shared.isEmpty()) {
			wakeIdleWorker();
		}
	}

	/**
	 * The worker whose own queue takes the task: the one it was dispatched to, else the
	 * one its order key picks (so that tasks with equal keys run one at a time, in
	 * order), else none, for the shared queue.
	 */
	private int target(DispatchedTask task) {
		Object key = task.orderKey();
		if (task.dstWorkerId() != DispatchedTask.ANY_WORKER || key == null) {
			return task.dstWorkerId();
		}
		int hash = key.hashCode();
		return Math.floorMod(hash ^ (hash >>> 16), this.slots.length);
	}

	/**
	 * Takes the next task for a worker, parking the calling thread until there is one.
	 * @param workerId the worker
	 * @return the task, or {@code null} once the queue is closed
	 */
	@Nullable DispatchedTask take(int workerId) {
		Slot slot = this.slots[workerId];
		Thread current = Thread.currentThread();
		if (slot.thread != current) {
			slot.thread = current;
		}
		while (!this.closed) {
			DispatchedTask task = slot.own.poll();
			if (task == null) {
				task = this.shared.poll();
			}
			if (task != null) {
				if (!this.shared.isEmpty()) {
					wakeIdleWorker();
				}
				return task;
			}
			slot.park(this);
		}
		return null;
	}

	boolean isClosed() {
		return this.closed;
	}

	/**
	 * Closes the queue: no more tasks are taken, and the workers' takes return
	 * {@code null}.
	 * @return the tasks queued and not taken, which still hold their places in the
	 * capacity
	 */
	List<DispatchedTask> close() {
		this.closed = true;
		List<DispatchedTask> untaken = new ArrayList<>();
		drainTo(this.shared, untaken);
		for (Slot slot : this.slots) {
			drainTo(slot.own, untaken);
			LockSupport.unpark(slot.thread);
		}
		return untaken;
	}

	private static void drainTo(Queue<DispatchedTask> queue, List<DispatchedTask> drained) {
		for (DispatchedTask task = queue.poll(); task != null; task = queue.poll()) {
			drained.add(task);
		}
	}

	private boolean hasWork(Slot slot) {
		return !slot.own.isEmpty() || !this.shared.isEmpty() || this.closed;
	}

	private void wakeIdleWorker() {
		Slot[] slots = this.slots;
		int start = this.nextWake++;
		for (int i = 0; i < slots.length; i++) {
			if (slots[Math.floorMod(start + i, slots.length)].wakeIfIdle()) {
				return;
			}
		}
	}

	/**
	 * A worker's own queue, and whether its thread is parked waiting for work.
	 */
	private static final class Slot {

		private static final int RUNNING = 0;

		private static final int IDLE = 1;

		private static final AtomicIntegerFieldUpdater<Slot> STATE = AtomicIntegerFieldUpdater.newUpdater(Slot.class,
				"state");

		private final Queue<DispatchedTask> own = new ConcurrentLinkedQueue<>();

		private volatile int state = RUNNING;

		private volatile @Nullable Thread thread;

		/**
		 * Parks until woken, unless work arrived between the failed poll and the switch
		 * to idle.
		 */
		void park(TaskQueue queue) {
			this.state = IDLE;
			while (this.state == IDLE && !queue.hasWork(this)) {
				LockSupport.park(queue);
			}
			this.state = RUNNING;
		}

		boolean wakeIfIdle() {
			if (this.state == IDLE && STATE.compareAndSet(this, IDLE, RUNNING)) {
				LockSupport.unpark(this.thread);
				return true;
			}
			return false;
		}

		void wake() {
			if (!wakeIfIdle()) {
				// it may be idle and waiting for shared work only; an unpark is harmless
				// otherwise
				LockSupport.unpark(this.thread);
			}
		}

	}

}
