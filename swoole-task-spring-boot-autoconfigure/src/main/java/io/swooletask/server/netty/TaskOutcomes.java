package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.TaskOutcome;

/**
 * {@code taskAsyncMulti}: gathers the futures of several tasks into one future of their
 * outcomes, completed when all have one or when the timeout passes, whichever comes
 * first; nothing waits.
 */
final class TaskOutcomes {

	private TaskOutcomes() {
	}

	/**
	 * Gathers the outcomes of tasks: at once if every task has one already (all refused,
	 * say); else when the last has one or the timeout passes, on the timer's event loop.
	 * Past what nanoseconds can count, a timeout is as good as none; a timer that refuses
	 * the timeout (its loop has stopped) leaves the outcomes to come with the tasks' own
	 * ends.
	 * @param futures each task's future, in order
	 * @param timeout how long they have, together
	 * @param timer where the timeout runs: an event loop of the server, asked for only
	 * when needed
	 * @return a future of one outcome per task, in order
	 */
	static CompletableFuture<List<TaskOutcome>> collect(List<CompletableFuture<Object>> futures, Duration timeout,
			Supplier<ScheduledExecutorService> timer) {
		CompletableFuture<Void> ended = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
		if (ended.isDone()) {
			return CompletableFuture.completedFuture(outcomes(futures));
		}
		CompletableFuture<List<TaskOutcome>> all = new CompletableFuture<>();
		ScheduledFuture<?> timeUp = schedule(timer, () -> all.complete(outcomes(futures)), timeout);
		ended.whenComplete((done, ex) -> {
			if (timeUp != null) {
				timeUp.cancel(false);
			}
			all.complete(outcomes(futures));
		});
		return all;
	}

	private static @Nullable ScheduledFuture<?> schedule(Supplier<ScheduledExecutorService> timer, Runnable timeUp,
			Duration timeout) {
		long nanos;
		try {
			nanos = Math.max(0, timeout.toNanos());
		}
		catch (ArithmeticException ex) {
			return null;
		}
		try {
			return timer.get().schedule(timeUp, nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException | IllegalStateException ex) {
			return null;
		}
	}

	private static List<TaskOutcome> outcomes(List<CompletableFuture<Object>> futures) {
		List<TaskOutcome> outcomes = new ArrayList<>(futures.size());
		for (CompletableFuture<Object> future : futures) {
			outcomes.add(outcome(future));
		}
		return outcomes;
	}

	private static TaskOutcome outcome(CompletableFuture<Object> future) {
		if (!future.isDone()) {
			return new TaskOutcome(null, null, true);
		}
		try {
			return new TaskOutcome(future.join(), null, false);
		}
		catch (CompletionException ex) {
			return new TaskOutcome(null, ex.getCause(), false);
		}
		catch (CancellationException ex) {
			// join throws a task's own CancellationException as it is, unwrapped
			return new TaskOutcome(null, ex, false);
		}
	}

}
