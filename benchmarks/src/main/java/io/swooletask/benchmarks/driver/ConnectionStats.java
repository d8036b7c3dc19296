package io.swooletask.benchmarks.driver;

import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * What one connection counted, or several added up. A connection's own stats are touched
 * only on its event loop; others read a {@link #copy()} taken there.
 */
final class ConnectionStats {

	/** Longest latency recorded as itself; longer ones are recorded as this. */
	static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

	/**
	 * Latency of the replies received during the measurement, in nanoseconds, to the
	 * microsecond.
	 */
	final Histogram latency = new Histogram(1_000, HIGHEST_NANOS, 3);

	/** Requests written, warm-up and measurement alike. */
	long sent;

	/** Replies matching an outstanding request, at any time. */
	long answered;

	/** Replies matching an outstanding request, received during the measurement. */
	long measured;

	/** Replies that match no request sent, or answer a request in the wrong form. */
	long unexpected;

	/** Replies to a request that was already answered. */
	long duplicates;

	/** Requests sent and not answered (yet). */
	long outstanding;

	/** Connections the server closed, or that failed. */
	long disconnects;

	void recordLatency(long nanos) {
		this.latency.recordValue(Math.min(nanos, HIGHEST_NANOS));
	}

	ConnectionStats copy() {
		ConnectionStats copy = new ConnectionStats();
		copy.add(this);
		return copy;
	}

	void add(ConnectionStats other) {
		this.latency.add(other.latency);
		this.sent += other.sent;
		this.answered += other.answered;
		this.measured += other.measured;
		this.unexpected += other.unexpected;
		this.duplicates += other.duplicates;
		this.outstanding += other.outstanding;
		this.disconnects += other.disconnects;
	}

}
