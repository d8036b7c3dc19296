package io.swooletask.task;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bound on tasks waiting: {@code task-queue-capacity} places. A producer takes a place before it
 * queues a task: at once or not at all ({@link #tryReserve()}), waiting for one ({@link #reserve(long)}),
 * or, on an event loop that must not block, unconditionally ({@link #forceReserve()}), in which case the
 * {@link TaskQueueSaturation} listener is told to stop the intake near capacity, until the count drains
 * to half. Where a task gives its place back depends on where it runs: the local pool when a worker
 * takes it, a remote transport when its last finish event has arrived.
 */
public final class TaskCapacity {

	private final AtomicInteger taken = new AtomicInteger();

	private final int capacity;

	private final int saturationMark;

	private final TaskQueueSaturation saturation;

	private final AtomicBoolean saturated = new AtomicBoolean();

	private final ReentrantLock roomLock = new ReentrantLock();

	private final Condition room = this.roomLock.newCondition();

	private volatile int roomWaiters;

	/**
	 * Creates the bound.
	 * @param capacity how many places there are
	 * @param producerLoops how many event loops may force a place at the same moment
	 * @param saturation told when the event loops have filled it, and when it has drained
	 */
	TaskCapacity(int capacity, int producerLoops, TaskQueueSaturation saturation) {
		this.capacity = capacity;
		this.saturationMark = Math.max(1, capacity - producerLoops + 1);
		this.saturation = saturation;
	}

	/**
	 * Takes a place if one is free.
	 * @return whether a place was taken
	 */
	boolean tryReserve() {
		for (int taken = this.taken.get(); taken < this.capacity; taken = this.taken.get()) {
			if (this.taken.compareAndSet(taken, taken + 1)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Takes a place, waiting up to {@code timeoutNanos} for one.
	 * @return whether a place was taken
	 */
	boolean reserve(long timeoutNanos) throws InterruptedException {
		if (tryReserve()) {
			return true;
		}
		long nanos = timeoutNanos;
		this.roomLock.lock();
		try {
			this.roomWaiters++;
			while (!tryReserve()) {
				if (nanos <= 0) {
					return false;
				}
				nanos = this.room.awaitNanos(nanos);
			}
			return true;
		}
		finally {
			this.roomWaiters--;
			this.roomLock.unlock();
		}
	}

	/**
	 * Takes a place even if none is free, for an event loop that must neither block nor drop. At the
	 * saturation mark, {@code capacity} less one place for each other loop that may be adding a task at
	 * the same moment, the intake is stopped until the count drains.
	 */
	void forceReserve() {
		if (this.taken.incrementAndGet() >= this.saturationMark && this.saturated.compareAndSet(false, true)) {
			this.saturation.saturated();
		}
	}

	/**
	 * Gives a place back.
	 */
	public void release() {
		int taken = this.taken.decrementAndGet();
		if (this.roomWaiters > 0) {
			this.roomLock.lock();
			try {
				this.room.signal();
			}
			finally {
				this.roomLock.unlock();
			}
		}
		if (taken <= this.capacity / 2 && this.saturated.get() && this.saturated.compareAndSet(true, false)) {
			this.saturation.drained();
		}
	}

	/**
	 * How many places are taken.
	 * @return the count
	 */
	public int taken() {
		return this.taken.get();
	}

	int capacity() {
		return this.capacity;
	}

}
