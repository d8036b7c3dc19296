package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.task.BackendTask;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.NodeConnections;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;

/**
 * The tasks of a server, as its lifecycle sees them: builds the stages a task passes
 * through, starts and stops where the tasks run, and counts them. A task's own path is
 * one way and does not come back here: {@link SwooleServer#task} hands it to the
 * {@link TaskAdmission}, which queues it for its {@link TaskBackend}; a
 * {@link TaskWorker} (or a worker on another node) runs its {@code @OnTask} method, and
 * {@link FinishDelivery} carries each result back to the event loop that dispatched it.
 */
final class TaskRuntime {

	private static final Log logger = LogFactory.getLog(TaskRuntime.class);

	private final TaskCapacity capacity;

	private final FinishDelivery delivery;

	private final TaskInvoker invoker;

	private final TaskBackend backend;

	private final TaskAdmission admission;

	/**
	 * Creates the stages of the tasks of a server.
	 * @param server the server handed to the handler methods
	 * @param connections the server's connections, which a backend writes to for other
	 * nodes
	 * @param handlers the handler methods
	 * @param errorHandler told of failed tasks, or {@code null}
	 * @param settings how the task workers run
	 * @param readingChanged told after reading was paused or resumed, see
	 * {@link #readingPaused()}
	 * @param observer told when each task starts and ends
	 * @param observations observes the steps of each message
	 * @param backend creates where the tasks run, {@link #local()} for the task worker
	 * threads of this process
	 */
	public TaskRuntime(SwooleServer server, NodeConnections connections, SwooleHandlers handlers,
			@Nullable TaskErrorHandler errorHandler, TaskWorkerSettings settings, Runnable readingChanged,
			TaskObserver observer, MessageObservations observations, TaskBackend.Factory backend) {
		this.capacity = new TaskCapacity(settings.queueCapacity(), settings.producerLoops(), readingChanged);
		this.delivery = new FinishDelivery(server, handlers, errorHandler, observations);
		this.invoker = new TaskInvoker(server, handlers, observer, observations, LogContext.of(settings.logFields()));
		this.backend = backend
			.create(new BackendContext(settings, handlers, this.capacity, this.invoker, this.delivery, connections));
		this.admission = new TaskAdmission(handlers, settings, this.capacity, this.backend, backend.firstId(),
				this.invoker.timed(), observations);
	}

	/**
	 * The backend that runs tasks on this process's task worker threads.
	 * @return the backend factory
	 */
	public static TaskBackend.Factory local() {
		return (context) -> new TaskWorkerPool((BackendContext) context);
	}

	/**
	 * The task running on this thread.
	 * @return the task, or {@code null} if this thread is not running one
	 */
	public static @Nullable Task current() {
		return TaskInvoker.current();
	}

	/**
	 * Refuses a blocking wait for task results on a thread where it could stall or
	 * deadlock: an event loop, a thread Reactor marks non-blocking, or a task worker.
	 * @param method the name of the waiting method, for the message
	 * @throws IllegalStateException on such a thread
	 */
	public static void assertMayBlock(String method) {
		ThreadKind.assertMayBlock(method);
	}

	public void start() {
		this.backend.start();
	}

	/**
	 * Dispatches a task: the first step of its path, through the {@link TaskAdmission}.
	 * @param data the task data
	 * @param dstWorkerId the target worker, or -1 for any
	 * @param origin where its finish events go
	 * @param completion {@code null} for {@code @OnFinish}, a {@code FinishCallback} or a
	 * {@code CompletableFuture}
	 * @return the task id
	 */
	long dispatch(Object data, int dstWorkerId, TaskOrigin origin, @Nullable Object completion) {
		return this.admission.dispatch(data, dstWorkerId, null, origin, completion);
	}

	/**
	 * Dispatches a task that runs after every task dispatched before it with an equal
	 * key, and before every one after it.
	 * @param orderKey what orders the task
	 * @param data the task data
	 * @param origin where its finish events go
	 * @return the task id
	 */
	long dispatchOrdered(Object orderKey, Object data, TaskOrigin origin) {
		return this.admission.dispatch(data, DispatchedTask.ANY_WORKER, orderKey, origin, null);
	}

	/**
	 * Writes to every connection the backend reaches: this node's, or every node's.
	 * @param data the bytes
	 * @return what the backend says of how many took them
	 */
	int broadcast(byte[] data) {
		return this.backend.broadcast(data);
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
		return !this.admission.isClosed() && this.backend.isAlive();
	}

	/**
	 * Whether no task is queued or running.
	 * @return whether the backend is idle
	 */
	public boolean isIdle() {
		return this.backend.isIdle();
	}

	/**
	 * Stops the backend after the tasks running here. Intake closes first, so that every
	 * task accepted is either among those that will not run now or among those running. A
	 * task that will not run now fails with a {@link ServerShutdownException}, told to
	 * its future or the {@link TaskErrorHandler}, and ends; a future of a task still
	 * running fails the same way. Both are logged with their count.
	 * @param deadlineNanos when the shutdown must be over, in {@link System#nanoTime()}'s
	 * terms, as {@code swoole.server.shutdown-timeout} sets it
	 */
	public void stop(long deadlineNanos) {
		stop(deadlineNanos, "swoole.server.shutdown-timeout");
	}

	/**
	 * Stops the backend as {@link #stop(long)} does, by a deadline that a setting other
	 * than {@code shutdown-timeout} set.
	 * @param deadlineNanos when the shutdown must be over, in {@link System#nanoTime()}'s
	 * terms
	 * @param deadlineSetting the setting the log line of unfinished tasks names
	 */
	public void stop(long deadlineNanos, String deadlineSetting) {
		this.admission.close();
		List<BackendTask> unfinished = this.backend.stop(deadlineNanos);
		List<BackendTask> running = this.backend.runningTasks();
		if (unfinished.isEmpty() && running.isEmpty()) {
			return;
		}
		logger.warn((unfinished.size() + running.size()) + " tasks unfinished at shutdown: " + unfinished.size()
				+ " queued will not run (or, sent to another node, will not report back), " + running.size()
				+ " still running (" + deadlineSetting + ")");
		for (DispatchedTask task : own(unfinished)) {
			this.delivery.failed(new TaskRun(task, -1, this.delivery),
					new ServerShutdownException(task + " did not finish before shutdown"));
			this.capacity.release();
			this.delivery.ended(task);
		}
		for (DispatchedTask task : own(running)) {
			if (task.completion() instanceof CompletableFuture<?> future) {
				future.completeExceptionally(new ServerShutdownException(task + " did not finish before shutdown"));
			}
		}
	}

	/**
	 * The tasks of a list a backend gave back that this server dispatched; any other is
	 * logged and left out, so that one does not keep the others from their outcome.
	 */
	private static List<DispatchedTask> own(List<BackendTask> tasks) {
		List<DispatchedTask> own = new ArrayList<>(tasks.size());
		for (BackendTask task : tasks) {
			try {
				own.add(DispatchedTask.of(task));
			}
			catch (IllegalArgumentException ex) {
				logger.error(ex.getMessage());
			}
		}
		return own;
	}

	/**
	 * What the health endpoint shows of the backend.
	 * @return the details by name
	 */
	public Map<String, Object> backendDetails() {
		return this.backend.details();
	}

	public TaskCounters counters() {
		return new TaskCounters(this.backend.workerNum(), this.admission.dispatched(), this.capacity.taken(),
				this.capacity.peak(), this.backend.running(), this.invoker.completed(), this.invoker.failed(),
				this.admission.rejected(), this.delivery.dropped());
	}

	/**
	 * Whether the server should not read from its connections now, because the task queue
	 * is near full.
	 * @return whether reading is paused by backpressure
	 */
	public boolean readingPaused() {
		return this.capacity.readingPaused();
	}

}
