package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.swooletask.server.TaskOutcome;

/**
 * {@code taskAsyncMulti}: gathers the futures of several tasks into one future of their outcomes,
 * completed when all have one or when the timeout passes, whichever comes first; nothing waits.
 */
final class TaskOutcomes {

	private TaskOutcomes() {
	}

	/**
	 * Gathers the outcomes of tasks.
	 * @param futures each task's future, in order
	 * @param timeout how long they have, together
	 * @param timer where the timeout runs: an event loop of the server
	 * @return a future of one outcome per task, in order
	 */
	static CompletableFuture<List<TaskOutcome>> collect(List<CompletableFuture<Object>> futures, Duration timeout,
			ScheduledExecutorService timer) {
		CompletableFuture<List<TaskOutcome>> all = new CompletableFuture<>();
		ScheduledFuture<?> timeUp = timer.schedule(() -> all.complete(outcomes(futures)), timeout.toNanos(),
				TimeUnit.NANOSECONDS);
		CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).whenComplete((done, ex) -> {
			timeUp.cancel(false);
			all.complete(outcomes(futures));
		});
		return all;
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
	}

}
