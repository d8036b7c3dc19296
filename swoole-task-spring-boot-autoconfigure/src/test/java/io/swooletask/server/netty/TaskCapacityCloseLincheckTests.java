package io.swooletask.server.netty;

import java.util.concurrent.atomic.AtomicInteger;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks producers waiting for a place racing the close of the capacity and the
 * places given back: whatever the interleaving, the places taken are the places held,
 * those whose reserve reported success and that were not given back since. A reserve that
 * took a place and reports failure leaks it.
 */
class TaskCapacityCloseLincheckTests {

	@Test
	void everyPlaceTakenIsOneAReserveReported() {
		new ModelCheckingOptions().threads(3)
			.actorsPerThread(1)
			.actorsBefore(0)
			.actorsAfter(0)
			.iterations(20)
			.invocationsPerIteration(300)
			.check(ReservingWhileClosing.class);
	}

	/**
	 * A capacity of one place, held at the start, so that a reserve waits for a release.
	 */
	public static class ReservingWhileClosing {

		private final TaskCapacity capacity = new TaskCapacity(1, 1, () -> {
		});

		/** The places whose reserve reported success, less those given back. */
		private final AtomicInteger held = new AtomicInteger();

		public ReservingWhileClosing() {
			this.capacity.forceReserve();
			this.held.incrementAndGet();
		}

		@Operation
		public void reserve() throws InterruptedException {
			if (this.capacity.reserve(0)) {
				this.held.incrementAndGet();
			}
		}

		@Operation
		public void release() {
			for (int n = this.held.get(); n > 0; n = this.held.get()) {
				if (this.held.compareAndSet(n, n - 1)) {
					this.capacity.release();
					return;
				}
			}
		}

		@Operation
		public void close() {
			this.capacity.close();
		}

		@Validate
		public void placesTakenAreThePlacesHeld() {
			if (this.capacity.taken() != this.held.get()) {
				throw new IllegalStateException(this.capacity.taken() + " places taken but " + this.held.get()
						+ " held: a reserve took a place and reported failure, and nothing gives it back");
			}
		}

	}

}
