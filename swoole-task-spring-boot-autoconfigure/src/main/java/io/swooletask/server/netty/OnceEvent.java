package io.swooletask.server.netty;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * An event that runs at most once, unless its loop dropped it first: it or the fallback
 * of a dropped event claims it, never both. Once run, it lets go of the event, which a
 * listener on a slowly terminating loop would otherwise keep.
 */
final class OnceEvent extends AtomicBoolean implements Runnable {

	private @Nullable Runnable event;

	OnceEvent(Runnable event) {
		this.event = event;
	}

	@Override
	public void run() {
		Runnable event = this.event;
		if (event != null && claim()) {
			this.event = null;
			event.run();
		}
	}

	boolean claim() {
		return compareAndSet(false, true);
	}

}
