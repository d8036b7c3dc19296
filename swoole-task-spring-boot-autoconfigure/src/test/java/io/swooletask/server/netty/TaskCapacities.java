package io.swooletask.server.netty;

/**
 * A package-private {@link TaskCapacity} for tests in other packages, so that they can
 * check it together with the classes it signals.
 */
public final class TaskCapacities {

	private final TaskCapacity capacity;

	private TaskCapacities(TaskCapacity capacity) {
		this.capacity = capacity;
	}

	/**
	 * Creates a capacity as {@link TaskRuntime} does.
	 * @param capacity how many places there are
	 * @param producerLoops how many event loops may force a place at the same moment
	 * @param readingChanged told after reading was paused or resumed
	 * @return the capacity
	 */
	public static TaskCapacities create(int capacity, int producerLoops, Runnable readingChanged) {
		return new TaskCapacities(new TaskCapacity(capacity, producerLoops, readingChanged));
	}

	/**
	 * Takes a place even if none is free, as an event loop or a task worker does.
	 */
	public void forceReserve() {
		this.capacity.forceReserve();
	}

	/**
	 * Gives a place back, as a worker taking a task does.
	 */
	public void release() {
		this.capacity.release();
	}

	/**
	 * Whether reading is paused.
	 * @return whether reading is paused
	 */
	public boolean readingPaused() {
		return this.capacity.readingPaused();
	}

	/**
	 * How many places are taken.
	 * @return the count
	 */
	public int taken() {
		return this.capacity.taken();
	}

}
