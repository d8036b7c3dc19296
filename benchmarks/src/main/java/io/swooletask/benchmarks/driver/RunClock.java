package io.swooletask.benchmarks.driver;

import java.time.Duration;

/**
 * The phases of a run on the {@link System#nanoTime()} scale: warm-up, measurement, then
 * no new requests.
 *
 * @param measureFrom when the warm-up ends and measuring starts
 * @param sendUntil when measuring ends and connections stop sending
 */
public record RunClock(long measureFrom, long sendUntil) {

	/**
	 * A clock whose warm-up starts now.
	 * @param warmup how long the warm-up lasts
	 * @param duration how long the measurement lasts
	 * @return the clock
	 */
	public static RunClock startingNow(Duration warmup, Duration duration) {
		long measureFrom = System.nanoTime() + warmup.toNanos();
		return new RunClock(measureFrom, measureFrom + duration.toNanos());
	}

	/**
	 * Whether a connection may still send.
	 * @param now the time
	 * @return whether the measurement is not over
	 */
	public boolean sending(long now) {
		return now - this.sendUntil < 0;
	}

	/**
	 * Whether a reply received now is measured.
	 * @param now the time
	 * @return whether the time is within the measurement
	 */
	public boolean measuring(long now) {
		return now - this.measureFrom >= 0 && now - this.sendUntil < 0;
	}

}
