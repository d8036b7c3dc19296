package io.swooletask.amqp;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Checks the reply timeout of the tasks dispatched here from one thread, at a quarter of
 * the timeout and at least once a second, so a task times out at most that much late and
 * no task needs a timer of its own.
 */
final class ReplyDeadlines {

	private static final Log logger = LogFactory.getLog(ReplyDeadlines.class);

	private static final long MAX_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final long periodNanos;

	private final Runnable expire;

	private @Nullable ScheduledExecutorService scheduler;

	/**
	 * Creates the check.
	 * @param replyTimeout how long a task may wait for its end
	 * @param expire fails the tasks past their timeout
	 */
	ReplyDeadlines(Duration replyTimeout, Runnable expire) {
		this.periodNanos = lateness(replyTimeout).toNanos();
		this.expire = expire;
	}

	/**
	 * How late a task may time out: the period of the check.
	 * @param replyTimeout how long a task may wait for its end
	 * @return at most a second
	 */
	static Duration lateness(Duration replyTimeout) {
		return Duration.ofNanos(Math.max(1, Math.min(MAX_PERIOD_NANOS, replyTimeout.toNanos() / 4)));
	}

	void start() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("swoole-task-reply-timeout-");
		threads.setDaemon(true);
		this.scheduler = Executors.newSingleThreadScheduledExecutor(threads);
		this.scheduler.scheduleAtFixedRate(this::check, this.periodNanos, this.periodNanos, TimeUnit.NANOSECONDS);
	}

	private void check() {
		try {
			this.expire.run();
		}
		catch (RuntimeException ex) {
			// a failed check must not cancel the next ones
			logger.error("Checking the reply timeouts failed", ex);
		}
	}

	void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

}
