package io.swooletask.task;

/**
 * Reaches the package-private {@link TaskCapacity} from tests in other packages, so that they can check it
 * together with the classes it signals.
 */
public final class TaskCapacities {

	private TaskCapacities() {
	}

	/**
	 * Creates a capacity as {@link TaskRuntime} does.
	 * @param capacity how many places there are
	 * @param producerLoops how many event loops may force a place at the same moment
	 * @param readingChanged told after reading was paused or resumed
	 * @return the capacity
	 */
	public static TaskCapacity create(int capacity, int producerLoops, Runnable readingChanged) {
		return new TaskCapacity(capacity, producerLoops, readingChanged);
	}

	/**
	 * Takes a place even if none is free, as an event loop or a task worker does.
	 * @param capacity the capacity
	 */
	public static void forceReserve(TaskCapacity capacity) {
		capacity.forceReserve();
	}

	/**
	 * Whether reading is paused.
	 * @param capacity the capacity
	 * @return whether reading is paused
	 */
	public static boolean readingPaused(TaskCapacity capacity) {
		return capacity.readingPaused();
	}

	/**
	 * How many places are taken.
	 * @param capacity the capacity
	 * @return the count
	 */
	public static int taken(TaskCapacity capacity) {
		return capacity.taken();
	}

}
