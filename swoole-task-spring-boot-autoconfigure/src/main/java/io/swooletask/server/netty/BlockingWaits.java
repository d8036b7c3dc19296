package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import io.swooletask.server.TaskFailedException;
import io.swooletask.server.TaskOutcome;
import io.swooletask.server.TaskTimeoutException;

/**
 * {@code taskwait} and {@code taskWaitMulti}: dispatches tasks and blocks the caller for
 * their results, refusing a thread that must not block.
 */
final class BlockingWaits {

	private final Function<Object, CompletableFuture<Object>> taskAsync;

	/**
	 * @param taskAsync dispatches a task and returns the future of its first result
	 */
	BlockingWaits(Function<Object, CompletableFuture<Object>> taskAsync) {
		this.taskAsync = taskAsync;
	}

	@SuppressWarnings("unchecked")
	<R> R taskwait(Object data, Duration timeout) {
		TaskRuntime.assertMayBlock("taskwait");
		CompletableFuture<Object> future = this.taskAsync.apply(data);
		try {
			return (R) future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new TaskTimeoutException(
					"No result within " + timeout + " for task data " + data.getClass().getName());
		}
		catch (ExecutionException ex) {
			throw new TaskFailedException("Task failed: " + ex.getCause(), ex.getCause());
		}
		catch (CancellationException ex) {
			// get throws a task's own CancellationException as it is, unwrapped
			throw new TaskFailedException("Task failed: " + ex, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new TaskTimeoutException("Interrupted while waiting for a task result");
		}
	}

	List<TaskOutcome> taskWaitMulti(List<?> data, Duration timeout) {
		TaskRuntime.assertMayBlock("taskWaitMulti");
		List<CompletableFuture<Object>> futures = new ArrayList<>(data.size());
		for (Object item : data) {
			futures.add(this.taskAsync.apply(item));
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		List<TaskOutcome> outcomes = new ArrayList<>(futures.size());
		for (CompletableFuture<Object> future : futures) {
			outcomes.add(outcome(future, deadline));
		}
		return outcomes;
	}

	private static TaskOutcome outcome(CompletableFuture<Object> future, long deadline) {
		try {
			return new TaskOutcome(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null,
					false);
		}
		catch (TimeoutException ex) {
			return new TaskOutcome(null, null, true);
		}
		catch (ExecutionException ex) {
			return new TaskOutcome(null, ex.getCause(), false);
		}
		catch (CancellationException ex) {
			return new TaskOutcome(null, ex, false);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new TaskOutcome(null, null, true);
		}
	}

}
