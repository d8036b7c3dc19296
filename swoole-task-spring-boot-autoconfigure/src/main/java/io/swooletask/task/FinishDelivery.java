package io.swooletask.task;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.handler.HandlerMethod;
import io.swooletask.handler.SwooleHandlers;
import io.swooletask.server.FinishCallback;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.TaskNoResultException;

/**
 * Carries each finish result, failure and end of a task to the event loop that dispatched it, where
 * the {@code @OnFinish} method, the callback, the future or the {@link TaskErrorHandler} receives it.
 */
public final class FinishDelivery {

	private static final Log logger = LogFactory.getLog(FinishDelivery.class);

	private final LongAdder dropped = new LongAdder();

	private final Finish finish;

	private final Failure failure;

	FinishDelivery(SwooleServer server, SwooleHandlers handlers, TaskErrorHandler errorHandler,
			MessageObservations observations) {
		this.finish = new Finish(server, handlers, observations);
		this.failure = (errorHandler != null) ? new Failure(errorHandler) : null;
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
		else if (this.failure != null) {
			onOrigin(task, () -> task.origin().handle(this.failure, task, ex, logger));
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
		onOrigin(task, () -> task.origin().handle(this.finish, task, result, logger));
	}

	/**
	 * Delivers the result a task's method returned and ends the task, in one event on its origin's loop,
	 * so that the origin counts its tasks on its own thread.
	 */
	void returned(DispatchedTask task, Object result) {
		task.finished = true;
		TaskOrigin origin = task.origin();
		boolean queued = onOrigin(task, () -> {
			origin.handle(this.finish, task, result, logger);
			origin.completed();
		});
		if (!queued) {
			origin.completed();
		}
	}

	/**
	 * How many events were dropped because their origin's event loop was gone.
	 * @return the count
	 */
	long dropped() {
		return this.dropped.sum();
	}

	/**
	 * Runs an event of a task on its origin's event loop; once the loops are gone, after a shutdown
	 * that this task outlived, the event is dropped and counted, and a future of the task, unless the
	 * shutdown failed it already, fails now rather than never completing. An event the loop refuses for
	 * another reason is dropped the same way, and logged.
	 * @return whether the event was queued
	 */
	private boolean onOrigin(DispatchedTask task, Runnable event) {
		try {
			task.origin().executor().execute(event);
			return true;
		}
		catch (RejectedExecutionException ex) {
			drop(task, new ServerShutdownException(task + " ended after the server's event loops had stopped"));
			return false;
		}
		catch (RuntimeException ex) {
			logger.error("An event of " + task + " is dropped: its event loop did not take it", ex);
			drop(task, ex);
			return false;
		}
	}

	private void drop(DispatchedTask task, Throwable why) {
		this.dropped.increment();
		if (task.completion() instanceof CompletableFuture<?> future) {
			future.completeExceptionally(why);
		}
	}

	/**
	 * A finish result handed to the future, the callback or the {@code @OnFinish} method of its task.
	 */
	private record Finish(SwooleServer server, SwooleHandlers handlers,
			MessageObservations observations) implements TaskOrigin.Event<DispatchedTask, Object> {

		@Override
		@SuppressWarnings({ "unchecked", "rawtypes" })
		public void run(DispatchedTask task, Object result) throws Throwable {
			Object completion = task.completion();
			HandlerMethod handler = (completion != null) ? null : this.handlers.finishes().route(result);
			MessageObservations.Step step = this.observations.finish(task, (handler != null) ? handler : completion);
			try {
				if (completion instanceof CompletableFuture future) {
					future.complete(result);
				}
				else if (completion instanceof FinishCallback callback) {
					callback.onFinish(task, result);
				}
				else {
					handler.invoke(this.server, task.origin().connection(), task, result);
				}
			}
			catch (Throwable ex) {
				step.error(ex);
				throw ex;
			}
			finally {
				step.close();
			}
		}

		@Override
		public String failure(DispatchedTask task, Object result) {
			return "Finish handler of " + task + " failed";
		}

	}

	/**
	 * A failed task reported to the {@link TaskErrorHandler}.
	 */
	private record Failure(TaskErrorHandler errorHandler) implements TaskOrigin.Event<DispatchedTask, Throwable> {

		@Override
		public void run(DispatchedTask task, Throwable ex) {
			this.errorHandler.onError(task, task.origin().connection(), ex);
		}

		@Override
		public String failure(DispatchedTask task, Throwable ex) {
			return "TaskErrorHandler failed for " + task;
		}

	}

}
