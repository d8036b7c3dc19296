package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.HandlerDefinitionException;
import io.swooletask.task.BackendTask;
import io.swooletask.task.NodeConnections;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskWorkerSettings;

/**
 * The local backend: {@code task-worker-num} {@link TaskWorker} threads fed by one
 * {@link TaskQueue}. A task holds its place in the {@link TaskCapacity} while it is
 * queued.
 */
final class TaskWorkerPool implements TaskBackend {

	private static final Log logger = LogFactory.getLog(TaskWorkerPool.class);

	private final TaskWorkerSettings settings;

	private final TaskCapacity capacity;

	private final TaskInvoker invoker;

	private final FinishDelivery delivery;

	private final IdleSignal idleSignal;

	private final NodeConnections connections;

	/**
	 * Fixed at start-up; none before when their number is
	 * {@link TaskWorkerSettings#AUTO}.
	 */
	private volatile TaskWorker[] workers;

	private volatile TaskQueue queue;

	/**
	 * Creates the pool from the stages of the server's tasks. Unlike another backend, the
	 * pool gives a task's place back when a worker takes it, not at its end: the bound
	 * covers the tasks waiting.
	 * @param stages how the workers run, the places the queued tasks hold, the invoker of
	 * the {@code @OnTask} methods and the delivery the workers hand the outcomes to
	 */
	TaskWorkerPool(BackendContext stages) {
		this.settings = stages.settings;
		this.capacity = stages.capacity;
		this.invoker = stages.invoker;
		this.delivery = stages.delivery;
		this.idleSignal = stages.idleSignal;
		this.connections = stages.connections();
		create(Math.max(0, settings.workerNum()));
	}

	private void create(int count) {
		TaskQueue queue = new TaskQueue(count, putOffLimit(this.settings));
		TaskWorker[] workers = new TaskWorker[count];
		for (int i = 0; i < count; i++) {
			workers[i] = new TaskWorker(i, queue, this.capacity, this.invoker, this.delivery, this.idleSignal,
					this.settings);
		}
		this.queue = queue;
		this.workers = workers;
	}

	/**
	 * Half the capacity, shared by the event loops: the tasks queued while the wake-up is
	 * put off never fill the queue by themselves, so they are never the reason a task is
	 * refused or reading pauses. Below one task per loop, no wake-up is put off.
	 */
	static int putOffLimit(TaskWorkerSettings settings) {
		return settings.queueCapacity() / (2 * Math.max(1, settings.producerLoops()));
	}

	/**
	 * Starts the workers: as many as configured, or, unset, one per available processor
	 * when the application declares an {@code @OnTask} method. Set to 0 while one is
	 * declared, the tasks could never run, so the start fails.
	 */
	@Override
	public void start() {
		boolean tasksDeclared = this.invoker.tasksDeclared();
		if (this.settings.workerNum() == TaskWorkerSettings.AUTO && tasksDeclared) {
			create(Runtime.getRuntime().availableProcessors());
			logger.info("swoole.server.task-worker-num is not set: " + this.workers.length
					+ " task workers, one per available processor");
		}
		else if (this.settings.workerNum() == 0 && tasksDeclared) {
			throw new HandlerDefinitionException(
					"swoole.server.task-worker-num is 0 but @OnTask methods are declared, so no task would ever run.",
					"Set swoole.server.task-worker-num to the number of task workers, or leave it unset for one per"
							+ " available processor.");
		}
		for (TaskWorker worker : this.workers) {
			worker.start();
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

	/**
	 * Accepts: a key picks one worker's own queue, which that worker takes in order.
	 */
	@Override
	public void checkOrdered() {
	}

	/**
	 * Writes now: with the local pool, every connection is on this node.
	 * @return how many connections took the data
	 */
	@Override
	public int broadcast(byte[] data) {
		return this.connections.broadcast(data);
	}

	@Override
	public void submit(BackendTask task) {
		this.queue.offer(DispatchedTask.of(task));
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

	@Override
	public int running() {
		return runningTasks().size();
	}

	@Override
	public List<BackendTask> runningTasks() {
		List<BackendTask> running = new ArrayList<>();
		for (TaskWorker worker : this.workers) {
			DispatchedTask task = worker.current();
			if (task != null) {
				running.add(task);
			}
		}
		return running;
	}

	@Override
	public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
		return this.idleSignal.await(this::isIdle, timeout, unit);
	}

	@Override
	public boolean isIdle() {
		return this.capacity.taken() == 0 && running() == 0;
	}

	/**
	 * Closes the queue, then waits until the deadline for each worker's thread to end,
	 * after its last task and its {@code @OnWorkerStop}.
	 */
	@Override
	public List<BackendTask> stop(long deadlineNanos) {
		List<BackendTask> unfinished = List.copyOf(this.queue.close());
		try {
			for (TaskWorker worker : this.workers) {
				awaitEnd(worker, deadlineNanos);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return unfinished;
	}

	/**
	 * Waits for a worker's thread to end, and for the thread that took its place, if one
	 * did meanwhile.
	 */
	private static void awaitEnd(TaskWorker worker, long deadlineNanos) throws InterruptedException {
		for (Thread thread = worker.thread(); thread != null;) {
			long left = deadlineNanos - System.nanoTime();
			if (left <= 0) {
				return;
			}
			TimeUnit.NANOSECONDS.timedJoin(thread, left);
			Thread current = worker.thread();
			thread = (current != thread) ? current : null;
		}
	}

}
