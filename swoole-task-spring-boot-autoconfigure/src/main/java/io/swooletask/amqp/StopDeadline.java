package io.swooletask.amqp;

import java.util.concurrent.TimeUnit;

/**
 * When the stop of the node must be over, shared by every phase of the transport's stop:
 * each phase waits only for what is left of it, never for a timeout of its own.
 *
 * @param nanos the deadline, in {@link System#nanoTime()}'s terms
 */
record StopDeadline(long nanos) {

	/**
	 * What is left until the deadline.
	 * @return the nanoseconds left, 0 once it has passed
	 */
	long remainingNanos() {
		return Math.max(0, this.nanos - System.nanoTime());
	}

	/**
	 * What is left until the deadline, in whole milliseconds.
	 * @return the milliseconds left, 0 once it has passed
	 */
	long remainingMillis() {
		return TimeUnit.NANOSECONDS.toMillis(remainingNanos());
	}

}
