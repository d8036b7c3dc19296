package io.swooletask.server.netty;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Lets a thread wait until a backend is idle, for a graceful shutdown. Only while someone
 * waits does {@link #changed()} take a lock, so the task path pays a volatile read
 * otherwise.
 */
final class IdleSignal {

	private final Object monitor = new Object();

	private volatile boolean awaited;

	/**
	 * Waits until {@code idle} holds, checking it again each time {@link #changed()} is
	 * called.
	 * @param idle whether the backend is idle
	 * @param timeout how long to wait
	 * @param unit the unit of {@code timeout}
	 * @return whether it became idle in time
	 */
	boolean await(BooleanSupplier idle, long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		synchronized (this.monitor) {
			this.awaited = true;
			try {
				while (!idle.getAsBoolean()) {
					long left = deadline - System.nanoTime();
					if (left <= 0) {
						return false;
					}
					TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
				}
				return true;
			}
			finally {
				this.awaited = false;
			}
		}
	}

	/**
	 * Tells a waiting thread, if any, that the backend may have become idle.
	 */
	void changed() {
		if (this.awaited) {
			synchronized (this.monitor) {
				this.monitor.notifyAll();
			}
		}
	}

}
