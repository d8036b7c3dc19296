package io.swooletask.task;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One task worker of a {@link TaskWorkerPool}: a thread that runs its own queued tasks first, else the
 * pool's shared ones, and parks when there are none until the pool wakes it.
 */
final class TaskWorker {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private static final int RUNNING = 0;

	private static final int IDLE = 1;

	private static final AtomicIntegerFieldUpdater<TaskWorker> STATE = AtomicIntegerFieldUpdater
		.newUpdater(TaskWorker.class, "state");

	private final int id;

	private final TaskWorkerPool pool;

	private final Consumer<DispatchedTask> runner;

	private final TaskWorkerSettings.WorkerThreads threads;

	private final int maxRequest;

	private final int maxRequestGrace;

	private final Queue<DispatchedTask> own = new ConcurrentLinkedQueue<>();

	private volatile int state = RUNNING;

	private volatile Thread thread;

	private volatile DispatchedTask current;

	TaskWorker(int id, TaskWorkerPool pool, TaskWorkerSettings settings, Consumer<DispatchedTask> runner) {
		this.id = id;
		this.pool = pool;
		this.runner = runner;
		this.threads = settings.threads();
		this.maxRequest = settings.maxRequest();
		this.maxRequestGrace = settings.maxRequestGrace();
	}

	/**
	 * The tasks targeted at this worker.
	 * @return the queue
	 */
	Queue<DispatchedTask> own() {
		return this.own;
	}

	Thread thread() {
		return this.thread;
	}

	/**
	 * The task this worker runs now.
	 * @return the task, or {@code null} if it runs none
	 */
	DispatchedTask current() {
		return this.current;
	}

	void startThread() {
		Thread thread = this.threads.newThread(this.id, this::run);
		this.thread = thread;
		thread.start();
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
			// it may be idle and waiting for shared work only; an unpark is harmless otherwise
			LockSupport.unpark(this.thread);
		}
	}

	/**
	 * Runs tasks until the pool stops or the worker retires. A {@link VirtualMachineError} thrown on
	 * by a task ends this thread after a fresh one has taken its place, with the same id and queue.
	 */
	private void run() {
		try {
			work();
		}
		catch (VirtualMachineError error) {
			if (!this.pool.isStopped()) {
				startThread();
				logger.error("Task worker " + this.id + " ended its thread on " + error
						+ "; a new thread takes its place", error);
			}
		}
	}

	private void work() {
		int limit = requestLimit();
		int done = 0;
		while (!this.pool.isStopped()) {
			DispatchedTask task = poll();
			if (task == null) {
				idle();
				continue;
			}
			task.workerId = this.id;
			this.current = task;
			this.pool.dequeued();
			try {
				this.runner.accept(task);
			}
			finally {
				this.current = null;
				this.pool.ran();
			}
			if (limit > 0 && ++done >= limit) {
				startThread();
				return;
			}
		}
	}

	private DispatchedTask poll() {
		DispatchedTask task = this.own.poll();
		if (task != null) {
			return task;
		}
		return this.pool.pollShared();
	}

	private void idle() {
		this.state = IDLE;
		if (!this.own.isEmpty() || this.pool.hasShared() || this.pool.isStopped()) {
			this.state = RUNNING;
			return;
		}
		while (this.state == IDLE && !this.pool.isStopped() && this.own.isEmpty()) {
			LockSupport.park(this);
		}
		this.state = RUNNING;
	}

	private int requestLimit() {
		int max = this.maxRequest;
		if (max <= 0) {
			return 0;
		}
		int grace = this.maxRequestGrace;
		return max + ((grace > 0) ? ThreadLocalRandom.current().nextInt(grace + 1) : 0);
	}

}
