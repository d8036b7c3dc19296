package io.swooletask.server.netty;

import java.util.concurrent.atomic.LongAdder;

import io.netty.util.concurrent.FastThreadLocal;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskObserver;

/**
 * Runs the {@code @OnTask} method of a task on the current thread, a task worker here or
 * on another node, counting, observing and logging its outcome; what becomes of the
 * result is up to the caller.
 */
final class TaskInvoker {

	private static final Log logger = LogFactory.getLog(TaskInvoker.class);

	private static final FastThreadLocal<Task> running = new FastThreadLocal<>();

	private final SwooleServer server;

	private final SwooleHandlers handlers;

	private final TaskObserver observer;

	private final MessageObservations observations;

	private final LogContext logContext;

	/** Whether tasks are timed, for the observer or the observations. */
	private final boolean timed;

	private final LongAdder completed = new LongAdder();

	private final LongAdder failed = new LongAdder();

	TaskInvoker(SwooleServer server, SwooleHandlers handlers, TaskObserver observer, MessageObservations observations,
			LogContext logContext) {
		this.server = server;
		this.logContext = logContext;
		this.handlers = handlers;
		this.observer = observer;
		this.observations = observations;
		this.timed = observer != TaskObserver.NONE || observations != MessageObservations.NONE;
	}

	/**
	 * Runs the {@code @OnWorkerStart} method, if any, on this thread, a task worker's
	 * before its first task. A throw is logged, and the worker runs on.
	 * @param workerId the worker's id
	 */
	void workerStarted(int workerId) {
		workerEvent("@OnWorkerStart", this.handlers.workerStart(), workerId);
	}

	/**
	 * Runs the {@code @OnWorkerStop} method, if any, on this thread, a task worker's
	 * after its last task. A throw is logged.
	 * @param workerId the worker's id
	 */
	void workerStopped(int workerId) {
		workerEvent("@OnWorkerStop", this.handlers.workerStop(), workerId);
	}

	private void workerEvent(String annotation, @Nullable HandlerMethod handler, int workerId) {
		if (handler == null) {
			return;
		}
		try {
			handler.invoke(this.server, null, null, workerId);
		}
		catch (Throwable ex) {
			logger.error(
					annotation + " method " + handler + " failed on task worker " + workerId + "; the worker runs on",
					ex);
		}
	}

	static @Nullable Task current() {
		return running.get();
	}

	/**
	 * Runs the {@code @OnTask} method for a task on this thread, a task worker. Counts
	 * and logs the outcome; what becomes of its result is up to the caller. Its
	 * observation descends from the one in scope on this thread.
	 * @param task the task
	 * @param queueWaitNanos how long the task waited for a worker
	 * @return what the method returned
	 * @throws Throwable what the method threw
	 */
	@Nullable Object invoke(Task task, long queueWaitNanos) throws Throwable {
		return invoke(task, null, this.observations.current(), queueWaitNanos, this.timed ? System.nanoTime() : 0);
	}

	/**
	 * Runs a local task's {@code @OnTask} method, found when it was admitted.
	 */
	@Nullable Object invoke(TaskRun run) throws Throwable {
		DispatchedTask task = run.task;
		long start = this.timed ? System.nanoTime() : 0;
		return invoke(run, task.handler, task.parentObservation(), this.timed ? start - task.enqueueNanos : 0, start);
	}

	/**
	 * Runs a task's {@code @OnTask} method, found already or, {@code null}, routed now,
	 * observed as a descendant of {@code parent}. The clock is read only for an observer
	 * that is told how long tasks take: once as the task starts, for its wait and its
	 * start, and once as it ends.
	 */
	private @Nullable Object invoke(Task task, @Nullable HandlerMethod route, @Nullable Object parent,
			long queueWaitNanos, long start) throws Throwable {
		running.set(task);
		this.logContext.task(task);
		try {
			this.observer.started(task, queueWaitNanos);
		}
		catch (Throwable ex) {
			observingFailed(task, "TaskObserver.started", ex);
		}
		boolean failed = false;
		HandlerMethod handler = route;
		MessageObservations.Step step = MessageObservations.Step.NONE;
		try {
			if (handler == null) {
				handler = this.handlers.tasks().route(task.data());
			}
			step = this.observations.task(task, handler.toString(), parent, queueWaitNanos);
			Object result = handler.invoke(this.server, null, task, task.data());
			this.completed.increment();
			return result;
		}
		catch (Throwable ex) {
			failed = true;
			this.failed.increment();
			try {
				step.error(ex);
			}
			catch (Throwable stepEx) {
				observingFailed(task, "its observation's error", stepEx);
			}
			logger.error(task + " failed in " + ((handler != null) ? handler : "routing") + " on task worker "
					+ task.workerId(), ex);
			throw ex;
		}
		finally {
			// set, not removed: a removal would make the next set register the thread
			// local again
			running.set(null);
			try {
				step.close();
			}
			catch (Throwable ex) {
				observingFailed(task, "closing its observation", ex);
			}
			try {
				this.observer.ended(task, this.timed ? System.nanoTime() - start : 0, failed);
			}
			catch (Throwable ex) {
				observingFailed(task, "TaskObserver.ended", ex);
			}
			this.logContext.taskEnded();
		}
	}

	/**
	 * Logs a failure to observe a task, which leaves the task's outcome as it is.
	 */
	private static void observingFailed(Task task, String where, Throwable ex) {
		logger.warn("Observing " + task + " failed in " + where + "; the task's outcome stands", ex);
	}

	boolean timed() {
		return this.timed;
	}

	/**
	 * Whether the application declares an {@code @OnTask} method.
	 * @return whether there is one
	 */
	boolean tasksDeclared() {
		return !this.handlers.tasks().isEmpty();
	}

	long completed() {
		return this.completed.sum();
	}

	long failed() {
		return this.failed.sum();
	}

}
