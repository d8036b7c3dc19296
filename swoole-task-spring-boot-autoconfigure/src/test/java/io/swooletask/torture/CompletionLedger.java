package io.swooletask.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The tasks dispatched with a callback or a future, and the outcomes they had, so that a
 * round can tell that none was left without one after a stop.
 */
public final class CompletionLedger {

	private final Set<Long> callbacks = ConcurrentHashMap.newKeySet();

	private final Set<Long> outcomes = ConcurrentHashMap.newKeySet();

	private final Queue<CompletableFuture<?>> futures = new ConcurrentLinkedQueue<>();

	void callback(long taskId) {
		this.callbacks.add(taskId);
	}

	void outcome(long taskId) {
		this.outcomes.add(taskId);
	}

	void future(CompletableFuture<?> future) {
		this.futures.add(future);
	}

	/**
	 * What is still waiting for an outcome: tasks whose callback was neither called nor
	 * replaced by the error handler, and futures not completed.
	 * @return one line for each kind that has any, empty when all are settled
	 */
	public List<String> unsettled() {
		List<String> unsettled = new ArrayList<>();
		List<Long> waiting = this.callbacks.stream().filter((id) -> !this.outcomes.contains(id)).sorted().toList();
		if (!waiting.isEmpty()) {
			unsettled.add(waiting.size() + " of " + this.callbacks.size() + " callback tasks had no outcome: "
					+ waiting.subList(0, Math.min(10, waiting.size())));
		}
		long pending = this.futures.stream().filter((future) -> !future.isDone()).count();
		if (pending > 0) {
			unsettled.add(pending + " of " + this.futures.size() + " futures still pending");
		}
		return unsettled;
	}

}
