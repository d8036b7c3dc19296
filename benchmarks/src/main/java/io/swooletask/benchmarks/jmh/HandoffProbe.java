package io.swooletask.benchmarks.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One hand-off: stamped on the event loop just before the task is dispatched, and
 * finished by the finish handler, which records the time in between and releases the
 * waiting benchmark thread.
 */
final class HandoffProbe {

	private final HandoffRecorder recorder;

	private final CompletableFuture<Void> done = new CompletableFuture<>();

	private long dispatchedAt;

	HandoffProbe(HandoffRecorder recorder) {
		this.recorder = recorder;
	}

	/** Stamps the dispatch; call on the origin event loop right before dispatching. */
	void dispatching() {
		this.dispatchedAt = System.nanoTime();
	}

	/**
	 * Records the hand-off; call where the finish runs, which should be the origin event
	 * loop.
	 */
	void finished() {
		this.recorder.record(System.nanoTime() - this.dispatchedAt);
		this.done.complete(null);
	}

	void await() throws InterruptedException, ExecutionException, TimeoutException {
		this.done.get(10, TimeUnit.SECONDS);
	}

}
