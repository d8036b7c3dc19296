package io.swooletask.server.netty;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bound on tasks waiting, {@code task-queue-capacity} places, and whether the server
 * reads from its connections, as one state changed atomically: reading pauses when a
 * place forced by a thread that cannot wait reaches the saturation mark, and resumes when
 * a place given back reaches the low-water mark, half the capacity. Producers that can
 * wait or be refused never go past the capacity, so they never need to pause it. Each
 * flip of the pause is followed by a call of the {@code readingChanged} signal, which
 * applies the state as it is when it runs, so no interleaving of flips can leave reading
 * paused with room in the queue, or open over capacity.
 * <p>
 * A producer takes a place before it queues a task: at once or not at all
 * ({@link #tryReserve()}), waiting for one ({@link #reserve(long)}), or, on a thread that
 * must neither block nor drop (an event loop of the server, a task worker),
 * unconditionally ({@link #forceReserve()}). The saturation mark is the capacity less one
 * place for each other event loop that may be adding a task at the same moment, so that
 * each loop can finish the message it is handling. Where a task gives its place back
 * depends on where it runs: the local pool when a worker takes it, a remote transport
 * when its last finish event has arrived.
 */
final class TaskCapacity {

	private static final long PAUSED = 1L << 32;

	private static final long TAKEN = PAUSED - 1;

	/** The places taken in the low 32 bits, {@link #PAUSED} above them. */
	private final AtomicLong state = new AtomicLong();

	private final AtomicInteger peak = new AtomicInteger();

	private final int capacity;

	private final int saturationMark;

	private final int lowWaterMark;

	private final Runnable readingChanged;

	private final ReentrantLock roomLock = new ReentrantLock();

	private final Condition room = this.roomLock.newCondition();

	private volatile int roomWaiters;

	private volatile boolean closed;

	/**
	 * Creates the bound.
	 * @param capacity how many places there are
	 * @param producerLoops how many event loops may force a place at the same moment
	 * @param readingChanged told after reading was paused or resumed; reads
	 * {@link #readingPaused()}
	 */
	TaskCapacity(int capacity, int producerLoops, Runnable readingChanged) {
		this.capacity = capacity;
		this.lowWaterMark = capacity / 2;
		this.saturationMark = Math.max(this.lowWaterMark + 1, capacity - producerLoops + 1);
		this.readingChanged = readingChanged;
	}

	/**
	 * Takes a place if one is free.
	 * @return whether a place was taken
	 */
	boolean tryReserve() {
		for (long state = this.state.get(); taken(state) < this.capacity; state = this.state.get()) {
			if (take(state, false)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Takes a place, waiting up to {@code timeoutNanos} for one.
	 * @return whether a place was taken; {@code false} if none became free in time, or
	 * the bound was closed while waiting
	 */
	boolean reserve(long timeoutNanos) throws InterruptedException {
		if (tryReserve()) {
			return true;
		}
		long nanos = timeoutNanos;
		this.roomLock.lock();
		try {
			this.roomWaiters++;
			while (!this.closed) {
				if (tryReserve()) {
					return true;
				}
				if (nanos <= 0) {
					return false;
				}
				nanos = this.room.awaitNanos(nanos);
			}
			return false;
		}
		finally {
			this.roomWaiters--;
			this.roomLock.unlock();
		}
	}

	/**
	 * Takes a place even if none is free, for a thread that must neither block nor drop.
	 */
	void forceReserve() {
		long state;
		do {
			state = this.state.get();
		}
		while (!take(state, true));
	}

	private boolean take(long state, boolean forced) {
		int taken = taken(state) + 1;
		boolean pause = forced && taken >= this.saturationMark;
		long next = (pause ? PAUSED : (state & PAUSED)) | (taken & TAKEN);
		if (!this.state.compareAndSet(state, next)) {
			return false;
		}
		if (taken > this.peak.get()) {
			this.peak.accumulateAndGet(taken, Math::max);
		}
		if (next != state + 1) {
			this.readingChanged.run();
		}
		return true;
	}

	/**
	 * Gives a place back.
	 */
	void release() {
		long state;
		long next;
		do {
			state = this.state.get();
			int taken = taken(state) - 1;
			next = ((taken > this.lowWaterMark) ? (state & PAUSED) : 0) | (taken & TAKEN);
		}
		while (!this.state.compareAndSet(state, next));
		if (this.roomWaiters > 0) {
			signalRoom();
		}
		if (next != state - 1) {
			this.readingChanged.run();
		}
	}

	/**
	 * Wakes every producer waiting for a place, which then gives up: the server is
	 * stopping.
	 */
	void close() {
		this.closed = true;
		signalRoom();
	}

	/**
	 * Whether the server is stopping: it admits no more tasks.
	 * @return whether the capacity is closed
	 */
	boolean isClosed() {
		return this.closed;
	}

	private void signalRoom() {
		this.roomLock.lock();
		try {
			this.room.signalAll();
		}
		finally {
			this.roomLock.unlock();
		}
	}

	/**
	 * Whether the server should not read from its connections now, because the queue is
	 * near full.
	 * @return whether reading is paused
	 */
	boolean readingPaused() {
		return (this.state.get() & PAUSED) != 0;
	}

	/**
	 * How many places are taken.
	 * @return the count
	 */
	int taken() {
		return taken(this.state.get());
	}

	/**
	 * The most places that were ever taken at once.
	 * @return the high-water mark
	 */
	int peak() {
		return this.peak.get();
	}

	int capacity() {
		return this.capacity;
	}

	private static int taken(long state) {
		return (int) (state & TAKEN);
	}

}
