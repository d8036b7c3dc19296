package io.swooletask.benchmarks.driver;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one run of the load driver measured: one result per connection class, with the
 * run's labels. It is printed as one JSON line after {@code RESULT }, for scripts. The
 * native load generator ({@code benchmarks/native/loadgen.c}) writes the same line, with
 * the CPU fields.
 *
 * @param scenario the scenario label
 * @param server the server label
 * @param run the repetition number
 * @param durationSeconds length of the measurement
 * @param warmupSeconds length of the warm-up before it
 * @param classes the results, in the order of the options
 * @param driverCpuMsPer1k CPU time of the driver during the measurement, in milliseconds
 * per 1000 measured requests; {@code null} if not measured (the JVM driver does not)
 * @param serverCpuMsPer1k the same for the server; {@code null} if not measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunResult(String scenario, String server, int run, double durationSeconds, double warmupSeconds,
		List<ClassResult> classes, Double driverCpuMsPer1k, Double serverCpuMsPer1k) {

	/**
	 * A result without CPU times, as the JVM driver measures it.
	 * @param scenario the scenario label
	 * @param server the server label
	 * @param run the repetition number
	 * @param durationSeconds length of the measurement
	 * @param warmupSeconds length of the warm-up before it
	 * @param classes the results, in the order of the options
	 */
	public RunResult(String scenario, String server, int run, double durationSeconds, double warmupSeconds,
			List<ClassResult> classes) {
		this(scenario, server, run, durationSeconds, warmupSeconds, classes, null, null);
	}

}
