package io.swooletask.task;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.handler.SwooleHandlers;
import io.swooletask.server.FinishCallback;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.TaskNoResultException;

/**
 * Carries each finish result, failure and end of a task to the event loop that dispatched it, where
 * the {@code @OnFinish} method, the callback, the future or the {@link TaskErrorHandler} receives it.
 */
public final class FinishDelivery {

	private static final Log logger = LogFactory.getLog(FinishDelivery.class);

	private final SwooleServer server;

	private final SwooleHandlers handlers;

	private final TaskErrorHandler errorHandler;

	private final LongAdder dropped = new LongAdder();

	FinishDelivery(SwooleServer server, SwooleHandlers handlers, TaskErrorHandler errorHandler) {
		this.server = server;
		this.handlers = handlers;
		this.errorHandler = errorHandler;
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
			TaskOrigin origin = task.origin();
			onOrigin(task, () -> origin.handle(() -> this.errorHandler.onError(task, origin.connection(), ex), logger,
					() -> "TaskErrorHandler failed for " + task));
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
	 * How many events were dropped because their origin's event loop was gone.
	 * @return the count
	 */
	long dropped() {
		return this.dropped.sum();
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
			this.dropped.increment();
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void deliver(DispatchedTask task, Object result) {
		TaskOrigin origin = task.origin();
		origin.handle(() -> {
			if (task.completion() instanceof CompletableFuture future) {
				future.complete(result);
			}
			else if (task.completion() instanceof FinishCallback callback) {
				callback.onFinish(task, result);
			}
			else {
				this.handlers.finishes().route(result).invoke(this.server, origin.connection(), task, result);
			}
		}, logger, () -> "Finish handler of " + task + " failed");
	}

}
