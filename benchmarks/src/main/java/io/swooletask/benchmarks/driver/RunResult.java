package io.swooletask.benchmarks.driver;

import java.util.List;

/**
 * What one run of the load driver measured: one result per connection class, with the run's labels. It is
 * printed as one JSON line after {@code RESULT }, for scripts.
 *
 * @param scenario the scenario label
 * @param server the server label
 * @param run the repetition number
 * @param durationSeconds length of the measurement
 * @param warmupSeconds length of the warm-up before it
 * @param classes the results, in the order of the options
 */
public record RunResult(String scenario, String server, int run, double durationSeconds, double warmupSeconds,
		List<ClassResult> classes) {

}
