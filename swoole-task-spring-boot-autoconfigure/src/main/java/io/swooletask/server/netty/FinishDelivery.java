package io.swooletask.server.netty;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.LongAdder;

import io.netty.util.concurrent.EventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.FinishCallback;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.TaskNoResultException;
import io.swooletask.task.MessageObservations;

import org.springframework.util.Assert;

/**
 * Carries each finish result, failure and end of a task to the event loop that dispatched
 * it, where the future, the callback, the {@code @OnFinish} method or the
 * {@link TaskErrorHandler} receives it. One verb per event: {@link #result},
 * {@link #failed}, {@link #ended}, and {@link #returned} for a result and the end in one
 * event.
 */
final class FinishDelivery {

	private static final Log logger = LogFactory.getLog(FinishDelivery.class);

	private static final Runnable NOTHING = () -> {
	};

	private final SwooleServer server;

	private final SwooleHandlers handlers;

	private final @Nullable TaskErrorHandler errorHandler;

	private final MessageObservations observations;

	private final LongAdder dropped = new LongAdder();

	FinishDelivery(SwooleServer server, SwooleHandlers handlers, @Nullable TaskErrorHandler errorHandler,
			MessageObservations observations) {
		this.server = server;
		this.handlers = handlers;
		this.errorHandler = errorHandler;
		this.observations = observations;
	}

	/**
	 * Delivers a finish result.
	 * @param run the task as it ran
	 * @param result the result
	 */
	void result(TaskRun run, Object result) {
		run.task.outcomeHanded = true;
		onOrigin(run.task, () -> finish(run, result));
	}

	/**
	 * Delivers the result a task's method returned and ends the task, in one event on its
	 * origin's loop, so that the origin counts its tasks on its own thread.
	 * @param run the task as it ran
	 * @param result the result
	 */
	void returned(TaskRun run, Object result) {
		TaskOrigin origin = run.task.origin();
		onOrigin(run.task, () -> {
			finish(run, result);
			origin.completed();
		}, origin::completed);
	}

	/**
	 * Delivers the failure of a task: to its future, else to the
	 * {@link TaskErrorHandler}.
	 * @param run the task as it ran, or as it was dispatched, if it never ran
	 * @param ex why it failed
	 */
	void failed(TaskRun run, Throwable ex) {
		run.task.outcomeHanded = true;
		TaskErrorHandler errorHandler = this.errorHandler;
		if (run.task.completion() instanceof CompletableFuture<?> future) {
			onOrigin(run.task, () -> inContext(run.task, run.workerId(), () -> future.completeExceptionally(ex)));
		}
		else if (errorHandler != null) {
			onOrigin(run.task, () -> reportFailure(errorHandler, run, ex));
		}
	}

	/**
	 * Ends a task after its last finish event or its failure: a future still waiting
	 * then, on the origin's loop after the events before, fails with a
	 * {@link TaskNoResultException}, and the origin counts the task done.
	 * @param task the task
	 */
	void ended(DispatchedTask task) {
		if (task.completion() instanceof CompletableFuture<?> future && !task.outcomeHanded && !future.isDone()) {
			onOrigin(task, () -> inContext(task, -1, () -> future.completeExceptionally(
					new TaskNoResultException(task + " ended without a result (returned null, no finish)"))));
		}
		task.origin().completed();
	}

	/**
	 * Completes a future of a task as its finish events run: with the task's origin as
	 * the origin of the tasks its dependents dispatch, and the task and its connection in
	 * the logging context.
	 */
	private static void inContext(DispatchedTask task, int workerId, Runnable completion) {
		TaskOrigin origin = task.origin();
		TaskOrigin previous = origin.enter();
		origin.logContext().task(task, workerId);
		try {
			completion.run();
		}
		finally {
			origin.logContext().taskEnded();
			origin.restore(previous);
		}
	}

	/**
	 * Hands a result to the future, the callback or the {@code @OnFinish} method of its
	 * task, observed, with the task's origin as the origin of the tasks it dispatches.
	 */
	private void finish(TaskRun run, Object result) {
		TaskOrigin origin = run.task.origin();
		TaskOrigin previous = origin.enter();
		origin.logContext().task(run.task, run.workerId());
		try {
			deliver(run, result);
		}
		catch (Throwable ex) {
			logger.error("Finish handler of " + run + " failed", ex);
		}
		finally {
			origin.logContext().taskEnded();
			origin.restore(previous);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void deliver(TaskRun run, Object result) throws Throwable {
		Object completion = run.task.completion();
		HandlerMethod handler = (completion != null) ? null : this.handlers.finishes().route(result);
		MessageObservations.Step step;
		try {
			step = this.observations.finish(run, receiver(handler, completion), run.task.parentObservation());
		}
		catch (RuntimeException ex) {
			// the observation costs only itself: a future left pending would never
			// complete
			logger.warn("Observing the finish of " + run + " failed; the result is delivered unobserved", ex);
			step = MessageObservations.Step.NONE;
		}
		try {
			if (completion instanceof CompletableFuture future) {
				future.complete(result);
			}
			else if (completion instanceof FinishCallback callback) {
				callback.onFinish(run, result);
			}
			else {
				Assert.state(handler != null, "A result with neither a future nor a callback has an @OnFinish method");
				handler.invoke(this.server, run.task.origin().connection(), run, result);
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

	private static String receiver(@Nullable HandlerMethod handler, @Nullable Object completion) {
		if (handler != null) {
			return handler.toString();
		}
		return (completion instanceof CompletableFuture<?>) ? "future" : "callback";
	}

	private void reportFailure(TaskErrorHandler errorHandler, TaskRun run, Throwable ex) {
		TaskOrigin origin = run.task.origin();
		TaskOrigin previous = origin.enter();
		origin.logContext().task(run.task, run.workerId());
		try {
			errorHandler.onError(run, run.task.origin().connection(), ex);
		}
		catch (Throwable handlerEx) {
			logger.error("TaskErrorHandler failed for " + run, handlerEx);
		}
		finally {
			origin.logContext().taskEnded();
			origin.restore(previous);
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
	 * Runs an event of a task on its origin's event loop; once the loops are gone, after
	 * a shutdown that this task outlived, the event is dropped and counted, and a future
	 * of the task, unless the shutdown failed it already, fails now rather than never
	 * completing. An event the loop refuses for another reason is dropped the same way,
	 * and logged.
	 */
	private void onOrigin(DispatchedTask task, Runnable event) {
		onOrigin(task, event, NOTHING);
	}

	/**
	 * Runs an event of a task on its origin's event loop, as
	 * {@link #onOrigin(DispatchedTask, Runnable)} does, and {@code ifDropped} in its
	 * place if it is dropped. A Netty loop that terminates as it is handed the event may
	 * neither run nor refuse it: the event passes the loop's shutdown check and is queued
	 * after the loop ran its last tasks; {@code execute} then sees the shutdown, but the
	 * task queue of Netty's I/O loops cannot take the event back to refuse it, so
	 * {@code execute} returns, and the event is never run (drained unrun if the loop had
	 * not terminated yet). So an event handed to a loop that is shutting down is dropped
	 * once the loop has terminated, unless it ran.
	 */
	private void onOrigin(DispatchedTask task, Runnable event, Runnable ifDropped) {
		Executor executor = task.origin().executor();
		OnceEvent once = new OnceEvent(event);
		try {
			executor.execute(once);
		}
		catch (RejectedExecutionException ex) {
			if (once.claim()) {
				drop(task, new ServerShutdownException(task + " ended after the server's event loops had stopped"));
				ifDropped.run();
			}
			return;
		}
		catch (RuntimeException ex) {
			if (once.claim()) {
				logger.error("An event of " + task + " is dropped: its event loop did not take it", ex);
				drop(task, ex);
				ifDropped.run();
			}
			return;
		}
		if (executor instanceof EventExecutor loop && loop.isShuttingDown()) {
			loop.terminationFuture().addListener((terminated) -> {
				if (once.claim()) {
					drop(task, new ServerShutdownException(task + " ended as the server's event loops stopped"));
					ifDropped.run();
				}
			});
		}
	}

	private void drop(DispatchedTask task, Throwable why) {
		this.dropped.increment();
		if (task.completion() instanceof CompletableFuture<?> future) {
			future.completeExceptionally(why);
		}
	}

}
