package io.swooletask.benchmarks;

import java.util.List;

import io.swooletask.benchmarks.driver.ConnectionClass;
import io.swooletask.benchmarks.driver.DriverOptions;
import io.swooletask.benchmarks.driver.LoadRun;
import io.swooletask.benchmarks.driver.ResultJson;
import io.swooletask.benchmarks.driver.ResultTable;
import io.swooletask.benchmarks.driver.RunResult;

/**
 * The load driver: a closed-loop client of the benchmark protocol on Netty (NIO). Each
 * connection keeps its pipeline depth of requests outstanding, each request with a unique
 * payload, and checks every reply. Prints a table per connection class and one
 * {@code RESULT <json>} line. Latency is measured from the write of a request to the read
 * of its reply; being closed-loop, the driver waits for the server rather than queueing
 * requests it cannot take, so throughput is what the server sustains at that concurrency.
 * <p>
 * Example:
 * {@code LoadDriver --port 9601 --class 16:S20:4 --class 8:E:1 --duration 10s --warmup 3s}.
 */
public final class LoadDriver {

	private static final String DEFAULT_CLASS = "64:T:1";

	private LoadDriver() {
	}

	public static void main(String[] args) throws Exception {
		DriverOptions options;
		try {
			options = DriverOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage() + "\nUsage: LoadDriver [options]\n" + DriverOptions.USAGE);
			System.exit(2);
			return;
		}
		if (options.classes().isEmpty()) {
			options = options.withClasses(List.of(ConnectionClass.parse(DEFAULT_CLASS)));
		}
		RunResult result = new LoadRun(options).run();
		ResultTable.print(result, System.out);
		System.out.println(ResultJson.line(result));
	}

}
