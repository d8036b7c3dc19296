package io.swooletask.benchmarks;

import java.util.List;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

import io.swooletask.benchmarks.driver.ClassResult;
import io.swooletask.benchmarks.driver.ConnectionClass;
import io.swooletask.benchmarks.driver.DriverOptions;
import io.swooletask.benchmarks.driver.HeapClient;
import io.swooletask.benchmarks.driver.LoadRun;
import io.swooletask.benchmarks.driver.ResultJson;
import io.swooletask.benchmarks.driver.ResultTable;
import io.swooletask.benchmarks.driver.RunResult;

/**
 * The soak: connections at full speed for a while with a mix of fast ({@code T}), slow
 * ({@code S5}) and failing ({@code F}) requests, then a count of what went wrong and the
 * server's heap after a full collection before and after. It takes the load driver's
 * options, with no warm-up and {@value #DEFAULT_CLASS} unless classes are given. Prints a
 * report and one {@code SOAK <json>} line; exits with 1 if any request was lost, answered
 * twice or wrongly, or a connection dropped.
 */
public final class Soak {

	static final String DEFAULT_CLASS = "32:T=8,S5=1,F=1:8";

	private Soak() {
	}

	public static void main(String[] args) throws Exception {
		DriverOptions options;
		try {
			options = DriverOptions.parse(Stream
				.concat(Stream.of("--warmup", "0", "--duration", "60s", "--scenario", "soak"), Stream.of(args))
				.toArray(String[]::new));
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage() + "\nUsage: Soak [load driver options]\n" + DriverOptions.USAGE);
			System.exit(2);
			return;
		}
		if (options.classes().isEmpty()) {
			options = options.withClasses(List.of(ConnectionClass.parse(DEFAULT_CLASS)));
		}
		long heapStart = HeapClient.usedAfterGc(options.host(), options.port());
		RunResult run = new LoadRun(options).run();
		long heapEnd = HeapClient.usedAfterGc(options.host(), options.port());
		ResultTable.print(run, System.out);
		SoakReport report = SoakReport.of(run, heapStart, heapEnd);
		report.print();
		System.exit(report.clean() ? 0 : 1);
	}

	/**
	 * The soak's totals over all connection classes.
	 *
	 * @param seconds how long the load ran
	 * @param sent requests sent
	 * @param answered correct replies
	 * @param lost requests never answered
	 * @param duplicates replies to a request already answered
	 * @param errors unexpected and duplicate replies
	 * @param disconnects connections that dropped
	 * @param heapStartBytes the server's heap after a full collection, before the load
	 * @param heapEndBytes the same after the load, its connections closed
	 */
	record SoakReport(double seconds, long sent, long answered, long lost, long duplicates, long errors,
			long disconnects, long heapStartBytes, long heapEndBytes) {

		static SoakReport of(RunResult run, long heapStart, long heapEnd) {
			List<ClassResult> classes = run.classes();
			return new SoakReport(run.durationSeconds(), sum(classes, ClassResult::sent),
					sum(classes, ClassResult::answered), sum(classes, ClassResult::lost),
					sum(classes, ClassResult::duplicates), sum(classes, ClassResult::errors),
					sum(classes, ClassResult::disconnects), heapStart, heapEnd);
		}

		private static long sum(List<ClassResult> classes, ToLongFunction<ClassResult> count) {
			return classes.stream().mapToLong(count).sum();
		}

		boolean clean() {
			return this.lost == 0 && this.errors == 0 && this.disconnects == 0;
		}

		void print() {
			System.out.printf("soak: %.0f s%n", this.seconds);
			System.out.printf(
					"  requests     %,d%n  replies      %,d%n  lost         %,d%n  duplicates   %,d%n"
							+ "  errors       %,d%n  disconnects  %,d%n",
					this.sent, this.answered, this.lost, this.duplicates, this.errors, this.disconnects);
			System.out.printf("  server heap after full GC: start %.1f MiB, end %.1f MiB (%+.1f MiB)%n",
					mib(this.heapStartBytes), mib(this.heapEndBytes), mib(this.heapEndBytes - this.heapStartBytes));
			System.out.println(clean() ? "  CLEAN" : "  FAILED: requests were lost, duplicated or answered wrongly");
			System.out.println("SOAK " + ResultJson.json(this));
		}

		private static double mib(long bytes) {
			return bytes / (1024.0 * 1024.0);
		}

	}

}
