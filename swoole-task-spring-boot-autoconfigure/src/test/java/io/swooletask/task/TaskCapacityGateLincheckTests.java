package io.swooletask.task;

import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the task capacity and the read gate together, as an event loop that dispatches and a task
 * worker that takes tasks use them: whatever the interleaving, once both are done the gate is paused only
 * above the low-water mark, and never open with the queue at capacity.
 */
class TaskCapacityGateLincheckTests {

	@Test
	void readGateAgreesWithTheQueueInEveryInterleaving() {
		new ModelCheckingOptions().threads(2)
			.actorsPerThread(3)
			.actorsBefore(0)
			.actorsAfter(0)
			.iterations(30)
			.invocationsPerIteration(2_000)
			.check(CapacityAndGate.class);
	}

	/**
	 * The state under test: a capacity of 2 filled by one event loop, with one task already queued, and a
	 * stand-in for the read gate that records what it was told last, as {@code ReadGate} does.
	 */
	public static class CapacityAndGate {

		static final int CAPACITY = 2;

		private final RecordingGate gate = new RecordingGate();

		private final TaskCapacity capacity = new TaskCapacity(CAPACITY, 1, this.gate);

		/** Tasks in the queue: a worker gives a place back only for a task it took. */
		private final AtomicInteger queued = new AtomicInteger();

		public CapacityAndGate() {
			dispatch();
		}

		/** An event loop dispatches a task: it forces a place, then queues the task. */
		@Operation(nonParallelGroup = "eventLoop")
		public void dispatch() {
			this.capacity.forceReserve();
			this.queued.incrementAndGet();
		}

		/** A task worker takes the next task, if there is one, and gives its place back. */
		@Operation(nonParallelGroup = "taskWorker")
		public void take() {
			for (int n = this.queued.get(); n > 0; n = this.queued.get()) {
				if (this.queued.compareAndSet(n, n - 1)) {
					this.capacity.release();
					return;
				}
			}
		}

		@Validate
		public void gateFollowsTheQueue() {
			int taken = this.capacity.taken();
			boolean paused = this.gate.paused;
			if (paused && taken <= CAPACITY / 2) {
				throw new IllegalStateException("Reading is paused with " + taken + " of " + CAPACITY
						+ " places taken (at or below the low-water mark " + CAPACITY / 2 + "): nothing will resume it");
			}
			if (!paused && taken >= CAPACITY) {
				throw new IllegalStateException(
						"Reading is open with " + taken + " of " + CAPACITY + " places taken: the queue grows unbounded");
			}
		}

	}

	/** Records the gate's state as {@code ReadGate} does: set by saturated(), cleared by drained(). */
	static final class RecordingGate implements TaskQueueSaturation {

		volatile boolean paused;

		@Override
		public void saturated() {
			this.paused = true;
		}

		@Override
		public void drained() {
			this.paused = false;
		}

	}

}
