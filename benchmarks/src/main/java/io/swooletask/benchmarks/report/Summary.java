package io.swooletask.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.swooletask.benchmarks.driver.ClassResult;
import io.swooletask.benchmarks.driver.RequestMix;
import io.swooletask.benchmarks.driver.ResultJson;
import io.swooletask.benchmarks.driver.RunResult;
import io.swooletask.benchmarks.protocol.RequestType;

/**
 * Summarizes the {@code RESULT} lines of {@code run.sh}: per scenario and connection
 * class, the median over the runs of each server, and the ratio starter ÷ baseline. For a
 * class of sleeping tasks it also gives the ideal latency: the scenario's queued sleep
 * divided among the task workers ({@code --task-workers 0}: not given).
 * {@code --ratio <server>/<server>} compares two other servers, as {@code scale-out.sh}
 * does. When the runs carry CPU times (the native load generator's), it also gives the
 * median CPU milliseconds per 1000 requests of the server and of the driver, per
 * scenario.
 * <p>
 * Usage:
 * {@code Summary [--task-workers <n>] [--ratio <numerator>/<denominator>] <results file>}.
 */
public final class Summary {

	private static final String STARTER = "starter";

	private static final String BASELINE = "baseline";

	private static final String USAGE = "Usage: Summary [--task-workers <n>] [--ratio <numerator>/<denominator>]"
			+ " <results file>";

	private static final String ROW = "    %-16s %12s %12s %10s";

	private Summary() {
	}

	public static void main(String[] args) throws IOException {
		int taskWorkers = 4;
		String numerator = STARTER;
		String denominator = BASELINE;
		Path file = null;
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--task-workers") && i + 1 < args.length) {
				taskWorkers = Integer.parseInt(args[++i]);
			}
			else if (args[i].equals("--ratio") && i + 1 < args.length) {
				String[] pair = args[++i].split("/", -1);
				if (pair.length != 2 || pair[0].isEmpty() || pair[1].isEmpty()) {
					System.err.println("Bad --ratio " + args[i] + "\n" + USAGE);
					System.exit(2);
				}
				numerator = pair[0];
				denominator = pair[1];
			}
			else {
				file = Path.of(args[i]);
			}
		}
		if (file == null) {
			System.err.println(USAGE);
			System.exit(2);
		}
		List<RunResult> runs = new ArrayList<>();
		for (String line : Files.readAllLines(file)) {
			if (line.startsWith(ResultJson.PREFIX)) {
				runs.add(ResultJson.read(line));
			}
		}
		print(runs, taskWorkers, numerator, denominator);
	}

	static void print(List<RunResult> runs, int taskWorkers) {
		print(runs, taskWorkers, STARTER, BASELINE);
	}

	static void print(List<RunResult> runs, int taskWorkers, String numerator, String denominator) {
		System.out.println("Medians over the runs of each server; ratio = " + numerator + " / " + denominator
				+ " (req/s: above 1 is faster; latency: below 1 is faster). errors and lost are summed over runs.");
		for (Map.Entry<String, Map<String, Map<String, List<ClassResult>>>> scenario : group(runs).entrySet()) {
			System.out.printf("%nscenario %s%n", scenario.getKey());
			double idealMillis = idealSleepMillis(scenario.getValue(), taskWorkers);
			for (Map.Entry<String, Map<String, List<ClassResult>>> connectionClass : scenario.getValue().entrySet()) {
				printClass(connectionClass.getKey(), connectionClass.getValue(), idealMillis, numerator, denominator);
			}
			printCpu(runsOf(runs, scenario.getKey()), numerator, denominator);
		}
	}

	private static List<RunResult> runsOf(List<RunResult> runs, String scenario) {
		return runs.stream().filter((run) -> run.scenario().equals(scenario)).toList();
	}

	private static void printCpu(List<RunResult> runs, String numerator, String denominator) {
		if (runs.stream().allMatch((run) -> run.driverCpuMsPer1k() == null && run.serverCpuMsPer1k() == null)) {
			return;
		}
		System.out.println("  CPU ms per 1000 requests, over the measurement");
		row("", numerator, denominator, "ratio");
		printCpuMedian("server", runs, numerator, denominator, RunResult::serverCpuMsPer1k);
		printCpuMedian("driver", runs, numerator, denominator, RunResult::driverCpuMsPer1k);
	}

	private static void printCpuMedian(String metric, List<RunResult> runs, String numerator, String denominator,
			Function<RunResult, Double> value) {
		double s = medianOf(cpuValues(runs, numerator, value));
		double b = medianOf(cpuValues(runs, denominator, value));
		row(metric, cpu(s), cpu(b), ratio(s, b));
	}

	private static double[] cpuValues(List<RunResult> runs, String server, Function<RunResult, Double> value) {
		return runs.stream()
			.filter((run) -> run.server().equals(server))
			.map(value)
			.filter(Objects::nonNull)
			.mapToDouble(Double::doubleValue)
			.toArray();
	}

	private static String cpu(double millis) {
		return Double.isNaN(millis) ? "-" : String.format("%.3f", millis);
	}

	private static Map<String, Map<String, Map<String, List<ClassResult>>>> group(List<RunResult> runs) {
		Map<String, Map<String, Map<String, List<ClassResult>>>> scenarios = new LinkedHashMap<>();
		for (RunResult run : runs) {
			for (ClassResult result : run.classes()) {
				scenarios.computeIfAbsent(run.scenario(), (key) -> new LinkedHashMap<>())
					.computeIfAbsent(result.name(), (key) -> new LinkedHashMap<>())
					.computeIfAbsent(run.server(), (key) -> new ArrayList<>())
					.add(result);
			}
		}
		return scenarios;
	}

	private static void printClass(String name, Map<String, List<ClassResult>> byServer, double idealMillis,
			String numerator, String denominator) {
		List<ClassResult> starter = byServer.getOrDefault(numerator, List.of());
		List<ClassResult> baseline = byServer.getOrDefault(denominator, List.of());
		System.out.printf("  class %s (runs: %s %d, %s %d)%n", name, numerator, starter.size(), denominator,
				baseline.size());
		row("", numerator, denominator, "ratio");
		printMedian("req/s", starter, baseline, ClassResult::throughput, 1);
		printMedian("p50 ms", starter, baseline, ClassResult::p50Us, 1e3);
		printMedian("p99 ms", starter, baseline, ClassResult::p99Us, 1e3);
		printMedian("p99.9 ms", starter, baseline, ClassResult::p999Us, 1e3);
		printSum("errors", starter, baseline, ClassResult::errors);
		printSum("lost", starter, baseline, ClassResult::lost);
		if (sleepMillis(starter.isEmpty() ? baseline.get(0) : starter.get(0)) > 0 && idealMillis > 0) {
			row("p99 / ideal", ratio(median(starter, ClassResult::p99Us) / 1e3, idealMillis),
					ratio(median(baseline, ClassResult::p99Us) / 1e3, idealMillis), "");
			System.out.printf("    ideal %.0f ms: every sleeping request outstanding, queued, times its sleep,"
					+ " divided among the task workers%n", idealMillis);
		}
	}

	private static void row(String metric, String starter, String baseline, String ratio) {
		System.out.println(String.format(ROW, metric, starter, baseline, ratio).stripTrailing());
	}

	private static double idealSleepMillis(Map<String, Map<String, List<ClassResult>>> classes, int taskWorkers) {
		if (taskWorkers <= 0) {
			return 0;
		}
		double queuedMillis = 0;
		for (Map<String, List<ClassResult>> byServer : classes.values()) {
			ClassResult any = byServer.values().iterator().next().get(0);
			queuedMillis += (double) any.connections() * any.depth() * sleepMillis(any);
		}
		return queuedMillis / taskWorkers;
	}

	private static int sleepMillis(ClassResult result) {
		RequestType type = RequestMix.parse(result.mix()).singleType();
		return (type != null) ? type.sleepMillis() : 0;
	}

	private static void printMedian(String metric, List<ClassResult> starter, List<ClassResult> baseline,
			ToDoubleFunction<ClassResult> value, double divisor) {
		double s = median(starter, value) / divisor;
		double b = median(baseline, value) / divisor;
		String format = (divisor == 1) ? "%.0f" : "%.3f";
		row(metric, String.format(format, s), String.format(format, b), ratio(s, b));
	}

	private static void printSum(String metric, List<ClassResult> starter, List<ClassResult> baseline,
			ToDoubleFunction<ClassResult> value) {
		row(metric, String.format("%.0f", sum(starter, value)), String.format("%.0f", sum(baseline, value)), "");
	}

	static double median(List<ClassResult> results, ToDoubleFunction<ClassResult> value) {
		return medianOf(results.stream().mapToDouble(value).toArray());
	}

	private static double medianOf(double[] unsorted) {
		double[] values = unsorted.clone();
		Arrays.sort(values);
		if (values.length == 0) {
			return Double.NaN;
		}
		int middle = values.length / 2;
		return (values.length % 2 == 1) ? values[middle] : (values[middle - 1] + values[middle]) / 2;
	}

	private static double sum(List<ClassResult> results, ToDoubleFunction<ClassResult> value) {
		return results.stream().mapToDouble(value).sum();
	}

	private static String ratio(double numerator, double denominator) {
		return (denominator > 0 && !Double.isNaN(numerator)) ? String.format("%.2f", numerator / denominator) : "-";
	}

}
