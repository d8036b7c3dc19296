package io.swooletask.benchmarks.driver;

/**
 * What one connection class did in one run. Latencies are in microseconds, over the
 * replies received during the measurement.
 *
 * @param name the class, as {@code <connections>:<mix>:<depth>}
 * @param mix the request mix
 * @param connections how many connections
 * @param depth requests outstanding per connection
 * @param sent requests written, warm-up included
 * @param answered correct replies, warm-up and drain included
 * @param measured correct replies received during the measurement
 * @param throughput {@code measured} per second of measurement
 * @param p50Us median latency
 * @param p99Us 99th percentile latency
 * @param p999Us 99.9th percentile latency
 * @param maxUs longest latency
 * @param errors unexpected plus duplicate replies
 * @param duplicates replies to a request already answered
 * @param lost requests sent and never answered by the end of the drain
 * @param disconnects connections that closed during the run
 */
public record ClassResult(String name, String mix, int connections, int depth, long sent, long answered, long measured,
		double throughput, double p50Us, double p99Us, double p999Us, double maxUs, long errors, long duplicates,
		long lost, long disconnects) {

	static ClassResult of(ConnectionClass connectionClass, ConnectionStats stats, double seconds) {
		return new ClassResult(connectionClass.name(), connectionClass.mix().toString(), connectionClass.connections(),
				connectionClass.depth(), stats.sent, stats.answered, stats.measured, stats.measured / seconds,
				micros(stats.latency.getValueAtPercentile(50)), micros(stats.latency.getValueAtPercentile(99)),
				micros(stats.latency.getValueAtPercentile(99.9)), micros(stats.latency.getMaxValue()),
				stats.unexpected + stats.duplicates, stats.duplicates, stats.outstanding, stats.disconnects);
	}

	private static double micros(long nanos) {
		return nanos / 1_000.0;
	}

}
