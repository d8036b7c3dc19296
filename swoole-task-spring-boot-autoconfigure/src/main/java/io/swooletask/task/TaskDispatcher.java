package io.swooletask.task;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.handler.HandlerMethod;
import io.swooletask.handler.SwooleHandlers;
import io.swooletask.server.FinishCallback;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.TaskNoResultException;
import io.swooletask.server.TaskRejectedException;

/**
 * Takes tasks from {@link SwooleServer#task}, runs each on a task worker through its {@code @OnTask}
 * method, and carries every finish result back to the event loop that dispatched the task, where the
 * {@code @OnFinish} method, the callback or the future receives it.
 */
public final class TaskDispatcher {

	private static final Log logger = LogFactory.getLog(TaskDispatcher.class);

	private static final FastThreadLocal<DispatchedTask> running = new FastThreadLocal<>();

	private static final long REJECTION_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

	private final SwooleServer server;

	private final SwooleHandlers handlers;

	private final TaskErrorHandler errorHandler;

	private final TaskWorkerPool pool;

	private final TaskObserver observer;

	private final AtomicLong ids = new AtomicLong();

	private final LongAdder completed = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final AtomicLong lastRejectionLog = new AtomicLong(System.nanoTime() - REJECTION_LOG_INTERVAL);

	private final TaskOverflow overflow;

	private final long enqueueTimeoutNanos;

	private final int capacity;

	private volatile boolean stopped;

	/**
	 * Creates a dispatcher.
	 * @param server the server handed to the handler methods
	 * @param handlers the handler methods
	 * @param errorHandler told of failed tasks, or {@code null}
	 * @param settings how the task workers run
	 * @param saturation told when the queue fills up from the event loops, and when it drains
	 * @param observer told when each task starts and ends
	 */
	public TaskDispatcher(SwooleServer server, SwooleHandlers handlers, TaskErrorHandler errorHandler,
			TaskWorkerSettings settings, TaskQueueSaturation saturation, TaskObserver observer) {
		this.server = server;
		this.observer = observer;
		this.handlers = handlers;
		this.errorHandler = errorHandler;
		this.overflow = settings.overflow();
		this.enqueueTimeoutNanos = settings.enqueueTimeoutNanos();
		this.capacity = settings.queueCapacity();
		this.pool = new TaskWorkerPool(settings, saturation, this::run);
	}

	/**
	 * The task running on this thread.
	 * @return the task, or {@code null} if this thread is not running one
	 */
	public static io.swooletask.server.Task current() {
		return running.get();
	}

	public void start() {
		this.pool.start();
	}

	/**
	 * Queues a task.
	 * @param data the task data
	 * @param dstWorkerId the target worker, or -1 for any
	 * @param origin where its finish events go
	 * @param completion {@code null} for {@code @OnFinish}, a {@link FinishCallback} or a
	 * {@link CompletableFuture}
	 * @return the task id
	 */
	public long dispatch(Object data, int dstWorkerId, TaskOrigin origin, Object completion) {
		Objects.requireNonNull(data, "Task data must not be null");
		if (dstWorkerId < -1 || dstWorkerId >= this.pool.size()) {
			throw new IllegalArgumentException("dstWorkerId " + dstWorkerId + " is out of range: task workers are 0 to "
					+ (this.pool.size() - 1) + " (swoole.server.task-worker-num=" + this.pool.size()
					+ "), or -1 for any");
		}
		if (this.stopped) {
			throw reject("the server is stopped");
		}
		reserve(origin);
		long id = this.ids.incrementAndGet();
		origin.dispatched();
		this.pool.submit(new DispatchedTask(this, id, data, dstWorkerId, origin, completion));
		return id;
	}

	private void reserve(TaskOrigin origin) {
		if (this.overflow == TaskOverflow.REJECT) {
			if (!this.pool.tryReserve()) {
				throw reject("the task queue is full (swoole.server.task-queue-capacity=" + this.capacity
						+ ", swoole.server.task-overflow=reject)");
			}
			return;
		}
		if (origin.executor() instanceof EventExecutor loop && loop.inEventLoop()) {
			this.pool.forceReserve();
			return;
		}
		try {
			if (!this.pool.reserve(this.enqueueTimeoutNanos)) {
				throw reject("the task queue stayed full for " + Duration.ofNanos(this.enqueueTimeoutNanos)
						+ " (swoole.server.task-queue-capacity=" + this.capacity
						+ ", swoole.server.task-enqueue-timeout)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw reject("interrupted while waiting for room in the task queue");
		}
	}

	private TaskRejectedException reject(String reason) {
		this.rejected.increment();
		long now = System.nanoTime();
		long last = this.lastRejectionLog.get();
		if (now - last >= REJECTION_LOG_INTERVAL && this.lastRejectionLog.compareAndSet(last, now)) {
			logger.warn("Rejecting tasks: " + reason + "; " + this.rejected.sum() + " rejected so far");
		}
		return new TaskRejectedException("Task rejected: " + reason);
	}

	/**
	 * Waits until no task is queued or running.
	 * @param timeout how long to wait
	 * @param unit the unit of {@code timeout}
	 * @return whether every task finished in time
	 */
	public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
		return this.pool.awaitIdle(timeout, unit);
	}

	/**
	 * Whether every task worker has a live thread.
	 * @return whether the pool is alive
	 */
	public boolean isAlive() {
		return !this.stopped && this.pool.isAlive();
	}

	/**
	 * Whether no task is queued or running.
	 * @return whether the pool is idle
	 */
	public boolean isIdle() {
		return this.pool.isIdle();
	}

	/**
	 * Stops the workers after their running task. Queued tasks will not run; they and the tasks still
	 * running are logged with their count, and their futures fail with a
	 * {@link ServerShutdownException}.
	 */
	public void stop() {
		this.stopped = true;
		List<DispatchedTask> running = this.pool.runningTasks();
		List<DispatchedTask> unstarted = this.pool.stop();
		for (DispatchedTask task : unstarted) {
			task.origin().completed();
		}
		if (unstarted.isEmpty() && running.isEmpty()) {
			return;
		}
		logger.warn((unstarted.size() + running.size()) + " tasks unfinished at shutdown: " + unstarted.size()
				+ " queued will not run, " + running.size() + " still running (swoole.server.shutdown-timeout)");
		for (List<DispatchedTask> tasks : List.of(unstarted, running)) {
			for (DispatchedTask task : tasks) {
				if (task.completion() instanceof CompletableFuture<?> future) {
					future.completeExceptionally(new ServerShutdownException(task + " did not finish before shutdown"));
				}
			}
		}
	}

	public TaskCounters counters() {
		return new TaskCounters(this.pool.size(), this.ids.get(), this.pool.queued(), this.pool.running(),
				this.completed.sum(), this.failed.sum(), this.rejected.sum());
	}

	private void run(DispatchedTask task) {
		running.set(task);
		long start = System.nanoTime();
		this.observer.started(task, start - task.enqueueNanos);
		boolean failed = false;
		HandlerMethod handler = null;
		try {
			handler = this.handlers.tasks().route(task.data());
			Object result = handler.invoke(this.server, null, task, task.data());
			if (result != null) {
				task.finish(result);
			}
			else if (!task.finished && task.completion() instanceof CompletableFuture<?> future) {
				task.origin()
					.executor()
					.execute(() -> future.completeExceptionally(
							new TaskNoResultException(task + " ended without a result (returned null, no finish)")));
			}
			this.completed.increment();
		}
		catch (Exception ex) {
			failed = true;
			this.failed.increment();
			logger.error(task + " failed in " + ((handler != null) ? handler : "routing") + " on task worker "
					+ task.workerId, ex);
			fail(task, ex);
		}
		finally {
			running.remove();
			this.observer.ended(task, System.nanoTime() - start, failed);
			task.origin().completed();
		}
	}

	void finish(DispatchedTask task, Object result) {
		task.origin().executor().execute(() -> deliver(task, result));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void deliver(DispatchedTask task, Object result) {
		TaskOrigin previous = task.origin().enter();
		try {
			Object completion = task.completion();
			if (completion instanceof CompletableFuture future) {
				future.complete(result);
			}
			else if (completion instanceof FinishCallback callback) {
				callback.onFinish(task, result);
			}
			else {
				this.handlers.finishes().route(result).invoke(this.server, task.origin().connection(), task, result);
			}
		}
		catch (Exception ex) {
			logger.error("Finish handler of " + task + " failed", ex);
		}
		finally {
			TaskOrigin.exit(previous);
		}
	}

	private void fail(DispatchedTask task, Exception ex) {
		if (task.completion() instanceof CompletableFuture<?> future) {
			task.origin().executor().execute(() -> future.completeExceptionally(ex));
		}
		else if (this.errorHandler != null) {
			task.origin().executor().execute(() -> {
				TaskOrigin previous = task.origin().enter();
				try {
					this.errorHandler.onError(task, task.origin().connection(), ex);
				}
				catch (Exception handlerEx) {
					logger.error("TaskErrorHandler failed for " + task, handlerEx);
				}
				finally {
					TaskOrigin.exit(previous);
				}
			});
		}
	}

}
