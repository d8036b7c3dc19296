package io.swooletask.amqp;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a phase of the stop may still wait for.
 */
class StopDeadlineTests {

	@Test
	void passedDeadlineLeavesNothingRatherThanANegativeWait() {
		StopDeadline deadline = new StopDeadline(System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
		assertThat(deadline.remainingNanos()).isZero();
		assertThat(deadline.remainingMillis()).isZero();
	}

	@Test
	void leavesNoMoreThanWasLeftWhenTheStopBegan() {
		long left = TimeUnit.SECONDS.toNanos(2);
		StopDeadline deadline = new StopDeadline(System.nanoTime() + left);
		assertThat(deadline.remainingNanos()).isBetween(0L, left);
		assertThat(deadline.remainingMillis()).isBetween(0L, TimeUnit.NANOSECONDS.toMillis(left));
	}

}
