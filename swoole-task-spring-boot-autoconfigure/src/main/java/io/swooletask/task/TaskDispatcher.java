package io.swooletask.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.scheduler.Schedulers;

import io.swooletask.handler.HandlerMethod;
import io.swooletask.handler.PayloadRouter;
import io.swooletask.handler.SwooleHandlers;
import io.swooletask.server.FinishCallback;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.TaskNoResultException;
import io.swooletask.server.TaskRejectedException;

/**
 * Takes tasks from {@link SwooleServer#task}, has its {@link TaskBackend} run each through its
 * {@code @OnTask} method, on a local task worker or elsewhere, and carries every finish result back to
 * the event loop that dispatched the task, where the {@code @OnFinish} method, the callback or the future
 * receives it.
 */
public final class TaskDispatcher {

	private static final Log logger = LogFactory.getLog(TaskDispatcher.class);

	private static final FastThreadLocal<Task> running = new FastThreadLocal<>();

	private static final long REJECTION_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

	private final SwooleServer server;

	private final SwooleHandlers handlers;

	private final TaskErrorHandler errorHandler;

	private final TaskCapacity capacity;

	private final TaskBackend backend;

	private final TaskObserver observer;

	private final long firstId;

	private final AtomicLong ids;

	private final LongAdder completed = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder droppedFinishes = new LongAdder();

	private final AtomicLong lastRejectionLog = new AtomicLong(System.nanoTime() - REJECTION_LOG_INTERVAL);

	private final TaskOverflow overflow;

	private final long enqueueTimeoutNanos;

	private volatile boolean stopped;

	/**
	 * Creates a dispatcher.
	 * @param server the server handed to the handler methods
	 * @param handlers the handler methods
	 * @param errorHandler told of failed tasks, or {@code null}
	 * @param settings how the task workers run
	 * @param readingChanged told after reading was paused or resumed, see {@link #readingPaused()}
	 * @param observer told when each task starts and ends
	 * @param backend creates where the tasks run, {@link #local()} for the task worker threads of this
	 * process
	 */
	public TaskDispatcher(SwooleServer server, SwooleHandlers handlers, TaskErrorHandler errorHandler,
			TaskWorkerSettings settings, Runnable readingChanged, TaskObserver observer,
			TaskBackend.Factory backend) {
		this.server = server;
		this.observer = observer;
		this.handlers = handlers;
		this.errorHandler = errorHandler;
		this.overflow = settings.overflow();
		this.enqueueTimeoutNanos = settings.enqueueTimeoutNanos();
		this.capacity = new TaskCapacity(settings.queueCapacity(), settings.producerLoops(), readingChanged);
		this.backend = backend.create(this, settings, this.capacity);
		this.firstId = backend.firstId();
		this.ids = new AtomicLong(this.firstId);
	}

	/**
	 * The backend that runs tasks on this process's task worker threads.
	 * @return the backend factory
	 */
	public static TaskBackend.Factory local() {
		return (dispatcher, settings, capacity) -> new TaskWorkerPool(settings, capacity, dispatcher::runHere,
				() -> !dispatcher.handlers.tasks().isEmpty());
	}

	/**
	 * The task running on this thread.
	 * @return the task, or {@code null} if this thread is not running one
	 */
	public static Task current() {
		return running.get();
	}

	/**
	 * Whether this thread must never wait: a Netty event loop, or a thread Reactor marks non-blocking.
	 * @return whether blocking here is forbidden
	 */
	public static boolean onNonBlockingThread() {
		return ThreadExecutorMap.currentExecutor() != null || Schedulers.isInNonBlockingThread();
	}

	public void start() {
		this.backend.start();
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
		checkRoute(data);
		this.backend.checkTarget(dstWorkerId);
		if (this.stopped) {
			throw stopped();
		}
		reserve(origin);
		long id = this.ids.incrementAndGet();
		origin.dispatched();
		try {
			this.backend.submit(new DispatchedTask(this, id, data, dstWorkerId, origin, completion));
		}
		catch (RuntimeException ex) {
			this.capacity.release();
			origin.completed();
			throw ex;
		}
		return id;
	}

	/**
	 * Fails at the call, on the caller's thread, for data no {@code @OnTask} method takes. A node that
	 * declares no {@code @OnTask} method at all only dispatches to other nodes, and cannot tell.
	 */
	private void checkRoute(Object data) {
		PayloadRouter tasks = this.handlers.tasks();
		if (!tasks.isEmpty()) {
			tasks.route(data.getClass());
		}
	}

	/**
	 * Takes a place in the queue, as the calling thread may: an event loop of this server takes one even
	 * past the capacity and pauses reading (its message was accepted and must not be lost), and so does a
	 * task worker (waiting could deadlock the pool on its own queue); another thread that must not block
	 * is refused at once when the queue is full; any other thread waits up to
	 * {@code task-enqueue-timeout}.
	 */
	private void reserve(TaskOrigin origin) {
		if (this.overflow == TaskOverflow.REJECT) {
			if (!this.capacity.tryReserve()) {
				throw reject("the task queue is full (swoole.server.task-queue-capacity=" + this.capacity.capacity()
						+ ", swoole.server.task-overflow=reject)");
			}
		}
		else if ((origin.executor() instanceof EventExecutor loop && loop.inEventLoop()) || running.get() != null) {
			this.capacity.forceReserve();
		}
		else if (onNonBlockingThread()) {
			if (!this.capacity.tryReserve()) {
				throw reject("the task queue is full and " + Thread.currentThread().getName()
						+ " must not block (swoole.server.task-queue-capacity=" + this.capacity.capacity() + ")");
			}
		}
		else {
			waitForRoom();
		}
	}

	private void waitForRoom() {
		try {
			if (!this.capacity.reserve(this.enqueueTimeoutNanos)) {
				if (this.stopped) {
					throw stopped();
				}
				throw reject("the task queue stayed full for " + Duration.ofNanos(this.enqueueTimeoutNanos)
						+ " (swoole.server.task-queue-capacity=" + this.capacity.capacity()
						+ ", swoole.server.task-enqueue-timeout)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw reject("interrupted while waiting for room in the task queue");
		}
	}

	private ServerShutdownException stopped() {
		this.rejected.increment();
		return new ServerShutdownException("Task rejected: the server is stopping");
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
		return this.backend.awaitIdle(timeout, unit);
	}

	/**
	 * Whether the backend can run tasks.
	 * @return whether it is alive
	 */
	public boolean isAlive() {
		return !this.stopped && this.backend.isAlive();
	}

	/**
	 * Whether no task is queued or running.
	 * @return whether the backend is idle
	 */
	public boolean isIdle() {
		return this.backend.isIdle();
	}

	/**
	 * Stops the backend after the tasks running here. Tasks that will not end now are logged with their
	 * count, and their futures fail with a {@link ServerShutdownException}.
	 * @param deadlineNanos when the shutdown must be over, in {@link System#nanoTime()}'s terms
	 */
	public void stop(long deadlineNanos) {
		this.stopped = true;
		this.capacity.close();
		List<DispatchedTask> running = this.backend.runningTasks();
		List<DispatchedTask> unfinished = this.backend.stop(deadlineNanos);
		for (DispatchedTask task : unfinished) {
			task.origin().completed();
		}
		if (unfinished.isEmpty() && running.isEmpty()) {
			return;
		}
		logger.warn((unfinished.size() + running.size()) + " tasks unfinished at shutdown: " + unfinished.size()
				+ " queued will not run (or, sent to another node, will not report back), " + running.size()
				+ " still running (swoole.server.shutdown-timeout)");
		for (List<DispatchedTask> tasks : List.of(unfinished, running)) {
			for (DispatchedTask task : tasks) {
				if (task.completion() instanceof CompletableFuture<?> future) {
					future.completeExceptionally(new ServerShutdownException(task + " did not finish before shutdown"));
				}
			}
		}
	}

	/**
	 * What the health endpoint shows of the backend.
	 * @return the details by name
	 */
	public Map<String, Object> backendDetails() {
		return this.backend.details();
	}

	public TaskCounters counters() {
		return new TaskCounters(this.backend.workerNum(), this.ids.get() - this.firstId, this.capacity.taken(),
				this.capacity.peak(), this.backend.running(), this.completed.sum(), this.failed.sum(),
				this.rejected.sum(), this.droppedFinishes.sum());
	}

	/**
	 * Whether the server should not read from its connections now, because the task queue is near full.
	 * @return whether reading is paused by backpressure
	 */
	public boolean readingPaused() {
		return this.capacity.readingPaused();
	}

	/**
	 * Runs the {@code @OnTask} method for a task on this thread, a task worker. Counts and logs the
	 * outcome; what becomes of its result is up to the caller.
	 * @param task the task
	 * @param queueWaitNanos how long the task waited for a worker
	 * @return what the method returned
	 * @throws Throwable what the method threw
	 */
	public Object invoke(Task task, long queueWaitNanos) throws Throwable {
		running.set(task);
		long start = System.nanoTime();
		this.observer.started(task, queueWaitNanos);
		boolean failed = false;
		HandlerMethod handler = null;
		try {
			handler = this.handlers.tasks().route(task.data());
			Object result = handler.invoke(this.server, null, task, task.data());
			this.completed.increment();
			return result;
		}
		catch (Throwable ex) {
			failed = true;
			this.failed.increment();
			logger.error(task + " failed in " + ((handler != null) ? handler : "routing") + " on task worker "
					+ task.workerId(), ex);
			throw ex;
		}
		finally {
			running.remove();
			this.observer.ended(task, System.nanoTime() - start, failed);
		}
	}

	/**
	 * Runs a task on this task worker. Whatever the method throws fails the task; a
	 * {@link VirtualMachineError} is thrown on after that, so that a fresh thread takes the worker's place.
	 */
	private void runHere(DispatchedTask task) {
		try {
			Object result = invoke(task, System.nanoTime() - task.enqueueNanos);
			if (result != null) {
				task.finish(result);
			}
		}
		catch (Throwable ex) {
			failed(task, ex);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
		finally {
			ended(task);
		}
	}

	/**
	 * Delivers a finish result of a task that ran elsewhere.
	 * @param task the task
	 * @param workerId the worker that ran it
	 * @param result the result
	 */
	public void finished(DispatchedTask task, int workerId, Object result) {
		task.workerId = workerId;
		task.finish(result);
	}

	/**
	 * Delivers the failure of a task: to its future, else to the {@link TaskErrorHandler}.
	 * @param task the task
	 * @param ex why it failed
	 */
	public void failed(DispatchedTask task, Throwable ex) {
		task.failed = true;
		if (task.completion() instanceof CompletableFuture<?> future) {
			onOrigin(task, () -> future.completeExceptionally(ex));
		}
		else if (this.errorHandler != null) {
			onOrigin(task, () -> {
				TaskOrigin previous = task.origin().enter();
				try {
					this.errorHandler.onError(task, task.origin().connection(), ex);
				}
				catch (Throwable handlerEx) {
					logger.error("TaskErrorHandler failed for " + task, handlerEx);
				}
				finally {
					TaskOrigin.exit(previous);
				}
			});
		}
	}

	/**
	 * Ends a task after its last finish event or its failure: a future still waiting fails with a
	 * {@link TaskNoResultException}, and the origin counts the task done.
	 * @param task the task
	 */
	public void ended(DispatchedTask task) {
		if (!task.finished && !task.failed && task.completion() instanceof CompletableFuture<?> future) {
			onOrigin(task, () -> future.completeExceptionally(
					new TaskNoResultException(task + " ended without a result (returned null, no finish)")));
		}
		task.origin().completed();
	}

	void finish(DispatchedTask task, Object result) {
		onOrigin(task, () -> deliver(task, result));
	}

	/**
	 * Runs an event of a task on its origin's event loop; once the loops are gone, after a shutdown
	 * that this task outlived, the event is dropped and counted.
	 */
	private void onOrigin(DispatchedTask task, Runnable event) {
		try {
			task.origin().executor().execute(event);
		}
		catch (RejectedExecutionException ex) {
			this.droppedFinishes.increment();
		}
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
		catch (Throwable ex) {
			logger.error("Finish handler of " + task + " failed", ex);
		}
		finally {
			TaskOrigin.exit(previous);
		}
	}

}
