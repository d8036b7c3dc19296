package io.swooletask.task;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the task capacity and the read gate together, as an event loop that dispatches and a task
 * worker that takes tasks use them: whatever the interleaving, once both are done and the gate has applied
 * every change it was told of, the gate shows what the capacity says, it is paused only above the low-water
 * mark, and never open with the queue at capacity.
 * <p>
 * For the design where the count and the reading-paused bit are one atomic state: {@code forceReserve()}
 * sets the bit at the saturation mark, {@code release()} clears it at or below half, each flip is followed
 * by {@code readingChanged.run()}, and the gate, level-triggered, applies {@code readingPaused()} as it reads
 * it then, on its single-threaded event loop.
 */
class TaskCapacityGateLincheckTests {

	@Test
	void readGateAgreesWithTheQueueInEveryInterleaving() {
		new ModelCheckingOptions().threads(2)
			.actorsPerThread(2)
			.actorsBefore(0)
			.actorsAfter(0)
			.iterations(10)
			.invocationsPerIteration(1_000)
			.check(CapacityAndGate.class);
	}

	/**
	 * The state under test: a capacity of 2 filled by one event loop, with one task already queued, and a
	 * stand-in for the read gate that queues every change on its event loop, applied when the loop runs.
	 */
	public static class CapacityAndGate {

		static final int CAPACITY = 2;

		private final SerialGate gate = new SerialGate();

		private final TaskCapacity capacity = new TaskCapacity(CAPACITY, 1, this.gate);

		/** Tasks in the queue: a worker gives a place back only for a task it took. */
		private final AtomicInteger queued = new AtomicInteger();

		public CapacityAndGate() {
			this.gate.capacity = this.capacity;
			dispatch();
			this.gate.runPending();
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
			this.gate.runPending();
			int taken = this.capacity.taken();
			boolean paused = this.gate.applied;
			if (paused != this.capacity.readingPaused()) {
				throw new IllegalStateException("The gate applied reading " + (paused ? "paused" : "open")
						+ " but the capacity says " + (this.capacity.readingPaused() ? "paused" : "open") + ", with "
						+ taken + " of " + CAPACITY + " places taken");
			}
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

	/**
	 * Stands in for {@code ReadGate} on one event loop: each change it is told of is queued, as
	 * {@code loop.execute(...)} does, and applies {@code readingPaused()} as it reads it when the loop runs it.
	 */
	static final class SerialGate implements Runnable {

		private final Queue<Runnable> loop = new ConcurrentLinkedQueue<>();

		volatile TaskCapacity capacity;

		volatile boolean applied;

		@Override
		public void run() {
			this.loop.add(() -> this.applied = this.capacity.readingPaused());
		}

		/** Runs what was queued on the loop, in order. */
		void runPending() {
			for (Runnable task = this.loop.poll(); task != null; task = this.loop.poll()) {
				task.run();
			}
		}

	}

}
