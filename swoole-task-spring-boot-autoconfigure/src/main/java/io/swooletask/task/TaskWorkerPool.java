package io.swooletask.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.HandlerDefinitionException;
import io.swooletask.server.ServerShutdownException;

/**
 * The task workers: {@code workerNum} threads sharing one queue of untargeted tasks, each with its own
 * queue of tasks targeted at it. An idle worker takes its own next task first, else the next shared one,
 * so a slow task never holds back a task another worker could run. Workers park when idle and are
 * woken one at a time: a dispatch wakes one only when no untargeted task was waiting, and a worker
 * that takes one and sees more wakes the next. A task holds its place in the {@link TaskCapacity}
 * while it is queued.
 */
final class TaskWorkerPool implements TaskBackend {

	private static final Log logger = LogFactory.getLog(TaskWorkerPool.class);

	private final Queue<DispatchedTask> shared = new ConcurrentLinkedQueue<>();

	/**
	 * Untargeted tasks offered and not yet taken, counted after the offer and after the take. Only the
	 * dispatch that finds none wakes a worker, and a worker that finds more after its take wakes the
	 * next, so a burst wakes workers one by one instead of once per task.
	 */
	private final AtomicInteger sharedCount = new AtomicInteger();

	/** Fixed at start-up; empty before when their number is {@link TaskWorkerSettings#AUTO}. */
	private volatile TaskWorker[] workers;

	private final int configuredWorkerNum;

	private final BooleanSupplier tasksDeclared;

	private final Consumer<DispatchedTask> runner;

	private final TaskWorkerSettings settings;

	private final IdleSignal idleSignal = new IdleSignal();

	private final TaskCapacity capacity;

	private volatile boolean stopped;

	/** Where the next search for an idle worker starts; a racy hint that spreads wake-ups. */
	private int nextWake;

	/**
	 * Creates the pool.
	 * @param settings how the workers run
	 * @param capacity the places the queued tasks hold
	 * @param runner runs a task on a worker
	 * @param tasksDeclared whether the application declares an {@code @OnTask} method, known once the
	 * application has started
	 */
	TaskWorkerPool(TaskWorkerSettings settings, TaskCapacity capacity, Consumer<DispatchedTask> runner,
			BooleanSupplier tasksDeclared) {
		this.configuredWorkerNum = settings.workerNum();
		this.settings = settings;
		this.runner = runner;
		this.workers = newWorkers(Math.max(0, this.configuredWorkerNum));
		this.tasksDeclared = tasksDeclared;
		this.capacity = capacity;
	}

	private TaskWorker[] newWorkers(int count) {
		TaskWorker[] workers = new TaskWorker[count];
		for (int i = 0; i < count; i++) {
			workers[i] = new TaskWorker(i, this, this.settings, this.runner);
		}
		return workers;
	}

	/**
	 * Starts the workers: as many as configured, or, unset, one per available processor when the
	 * application declares an {@code @OnTask} method. Set to 0 while one is declared, the tasks could
	 * never run, so the start fails.
	 */
	@Override
	public void start() {
		boolean tasksDeclared = this.tasksDeclared.getAsBoolean();
		if (this.configuredWorkerNum == TaskWorkerSettings.AUTO && tasksDeclared) {
			this.workers = newWorkers(Runtime.getRuntime().availableProcessors());
			logger.info("swoole.server.task-worker-num is not set: " + this.workers.length
					+ " task workers, one per available processor");
		}
		else if (this.configuredWorkerNum == 0 && tasksDeclared) {
			throw new HandlerDefinitionException(
					"swoole.server.task-worker-num is 0 but @OnTask methods are declared, so no task would ever run.",
					"Set swoole.server.task-worker-num to the number of task workers, or leave it unset for one per"
							+ " available processor.");
		}
		for (TaskWorker worker : this.workers) {
			worker.startThread();
		}
	}

	@Override
	public void checkTarget(int dstWorkerId) {
		if (this.workers.length == 0) {
			throw new IllegalStateException("No task workers to run the task: set swoole.server.task-worker-num");
		}
		if (dstWorkerId < -1 || dstWorkerId >= this.workers.length) {
			throw new IllegalArgumentException("dstWorkerId " + dstWorkerId + " is out of range: task workers are 0 to "
					+ (this.workers.length - 1) + " (swoole.server.task-worker-num=" + this.workers.length
					+ "), or -1 for any");
		}
	}

	@Override
	public int workerNum() {
		return this.workers.length;
	}

	@Override
	public boolean isAlive() {
		for (TaskWorker worker : this.workers) {
			Thread thread = worker.thread();
			if (thread == null || thread.getState() == Thread.State.TERMINATED) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Queues a task. If the pool stopped meanwhile, the task is taken back unless the stop or a worker
	 * took it first: whoever removes it from its queue owns it.
	 */
	@Override
	public void submit(DispatchedTask task) {
		int target = task.dstWorkerId();
		Queue<DispatchedTask> queue = (target == DispatchedTask.ANY_WORKER) ? this.shared : this.workers[target].own();
		queue.offer(task);
		if (this.stopped && queue.remove(task)) {
			throw new ServerShutdownException("Task rejected: the server is stopping");
		}
		if (target == DispatchedTask.ANY_WORKER) {
			if (this.sharedCount.getAndIncrement() == 0) {
				wakeIdleWorker();
			}
		}
		else {
			this.workers[target].wake();
		}
	}

	@Override
	public int running() {
		int running = 0;
		for (TaskWorker worker : this.workers) {
			if (worker.current() != null) {
				running++;
			}
		}
		return running;
	}

	@Override
	public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
		return this.idleSignal.await(this::isIdle, timeout, unit);
	}

	@Override
	public List<DispatchedTask> stop(long deadlineNanos) {
		this.stopped = true;
		List<DispatchedTask> unstarted = new ArrayList<>();
		drainTo(this.shared, unstarted);
		for (TaskWorker worker : this.workers) {
			drainTo(worker.own(), unstarted);
			LockSupport.unpark(worker.thread());
		}
		return unstarted;
	}

	private void drainTo(Queue<DispatchedTask> queue, List<DispatchedTask> drained) {
		for (DispatchedTask task = queue.poll(); task != null; task = queue.poll()) {
			dequeued();
			drained.add(task);
		}
	}

	/**
	 * Gives back the place of a task taken from a queue.
	 */
	void dequeued() {
		this.capacity.release();
	}

	/**
	 * Tells a thread waiting for the pool to be idle that a worker has ended a task.
	 */
	void ran() {
		this.idleSignal.changed();
	}

	/**
	 * Takes the next untargeted task, and wakes another worker when more are waiting.
	 * @return the task, or {@code null} if none is waiting
	 */
	DispatchedTask pollShared() {
		DispatchedTask task = this.shared.poll();
		if (task != null && this.sharedCount.decrementAndGet() > 0) {
			wakeIdleWorker();
		}
		return task;
	}

	boolean hasShared() {
		return !this.shared.isEmpty();
	}

	boolean isStopped() {
		return this.stopped;
	}

	@Override
	public List<DispatchedTask> runningTasks() {
		List<DispatchedTask> running = new ArrayList<>();
		for (TaskWorker worker : this.workers) {
			DispatchedTask task = worker.current();
			if (task != null) {
				running.add(task);
			}
		}
		return running;
	}

	@Override
	public boolean isIdle() {
		return this.capacity.taken() == 0 && running() == 0;
	}

	private void wakeIdleWorker() {
		TaskWorker[] workers = this.workers;
		int start = this.nextWake++;
		for (int i = 0; i < workers.length; i++) {
			if (workers[Math.floorMod(start + i, workers.length)].wakeIfIdle()) {
				return;
			}
		}
	}

}
