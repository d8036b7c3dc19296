package io.swooletask.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.EventLoop;
import org.HdrHistogram.Histogram;

/**
 * Records, on the origin event loop, the time from just before a dispatch to its finish
 * running there, during measurement iterations only, and counts finishes that ran
 * anywhere else.
 */
final class HandoffRecorder {

	private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final EventLoop origin;

	private final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);

	private final AtomicLong offOrigin = new AtomicLong();

	private volatile boolean recording;

	HandoffRecorder(EventLoop origin) {
		this.origin = origin;
	}

	void recording(boolean recording) {
		this.recording = recording;
	}

	void record(long nanos) {
		if (!this.origin.inEventLoop()) {
			this.offOrigin.incrementAndGet();
			return;
		}
		if (this.recording) {
			this.histogram.recordValue(Math.min(nanos, HIGHEST_NANOS));
		}
	}

	/**
	 * The hand-off percentiles, read on the origin loop.
	 * @param name what was measured
	 * @return one line
	 * @throws IllegalStateException if a finish ran off its origin loop
	 */
	String summary(String name) throws Exception {
		if (this.offOrigin.get() > 0) {
			throw new IllegalStateException(
					this.offOrigin.get() + " finishes of " + name + " ran off their origin" + " event loop");
		}
		return this.origin
			.submit(() -> (this.histogram.getTotalCount() == 0) ? name + ": no hand-off recorded" : String.format(
					"%s hand-off on the origin loop (dispatch to finish), us: p50 %.1f, p99 %.1f, p99.9 %.1f, max %.1f"
							+ " (%d samples)",
					name, micros(50), micros(99), micros(99.9), this.histogram.getMaxValue() / 1e3,
					this.histogram.getTotalCount()))
			.get();
	}

	private double micros(double percentile) {
		return this.histogram.getValueAtPercentile(percentile) / 1e3;
	}

}
