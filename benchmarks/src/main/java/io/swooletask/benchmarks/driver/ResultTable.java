package io.swooletask.benchmarks.driver;

import java.io.PrintStream;

/**
 * Prints a run's results as a table for people: throughput, latency percentiles in
 * milliseconds, errors and lost requests, one row per connection class.
 */
public final class ResultTable {

	private static final String ROW = "%-22s %10s %10s %10s %10s %10s %8s %6s %6s%n";

	private ResultTable() {
	}

	/**
	 * Prints the table.
	 * @param result the run's result
	 * @param out where to print
	 */
	public static void print(RunResult result, PrintStream out) {
		out.printf("scenario %s, server %s, run %d: %.1f s measured after %.1f s warm-up%n", result.scenario(),
				result.server(), result.run(), result.durationSeconds(), result.warmupSeconds());
		out.printf(ROW, "class", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "dup", "lost");
		for (ClassResult row : result.classes()) {
			out.printf(ROW, row.name(), String.format("%.0f", row.throughput()), millis(row.p50Us()),
					millis(row.p99Us()), millis(row.p999Us()), millis(row.maxUs()), row.errors(), row.duplicates(),
					row.lost());
		}
	}

	private static String millis(double micros) {
		return String.format("%.3f", micros / 1_000);
	}

}
