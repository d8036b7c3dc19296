package io.swooletask.benchmarks.driver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.convert.DurationStyle;

/**
 * The load driver's options.
 *
 * @param host the server's address; a loopback address unless
 * {@code --allow-non-loopback}
 * @param port the server's port
 * @param classes the connection classes, run together
 * @param duration how long to measure
 * @param warmup how long to run before measuring
 * @param drain how long to wait for outstanding replies after the measurement before
 * counting them lost
 * @param ioThreads the driver's event loops
 * @param scenario a label for reports
 * @param server a label for reports: which server was measured
 * @param run a label for reports: the repetition number
 */
public record DriverOptions(String host, int port, List<ConnectionClass> classes, Duration duration, Duration warmup,
		Duration drain, int ioThreads, String scenario, String server, int run) {

	/** The options, for a usage message. */
	public static final String USAGE = """
			  --host <address>        server address (127.0.0.1); loopback only unless --allow-non-loopback
			  --port <port>           server port (9601)
			  --class <n>:<mix>:<d>   n connections sending <mix> with d requests outstanding each; repeatable,
			                          classes run together. <mix> is T, S<ms>, E, F, or weighted: T=8,S5=1,F=1
			  --connections <n>       } one class without --class: n connections (64),
			  --depth <d>             } d outstanding each (1),
			  --request <mix>         } sending <mix> (T)
			  --duration <time>       measurement, as 10s or 500ms; a bare number is seconds (10s)
			  --warmup <time>         run before measuring (3s)
			  --drain <time>          wait for outstanding replies after the measurement (5s)
			  --io-threads <n>        driver event loops (2)
			  --scenario <label>      --server <label>   --run <n>   labels for reports
			""";

	/**
	 * Parses {@code --name value} pairs; a later value of a single option wins.
	 * @param args the arguments
	 * @return the options
	 * @throws IllegalArgumentException if an option is unknown or a value bad
	 */
	public static DriverOptions parse(String... args) {
		Parser parser = new Parser();
		for (int i = 0; i < args.length; i++) {
			String name = args[i];
			if (name.equals("--allow-non-loopback")) {
				parser.allowNonLoopback = true;
				continue;
			}
			if (i + 1 >= args.length) {
				throw new IllegalArgumentException("Missing value for " + name);
			}
			parser.set(name, args[++i]);
		}
		return parser.build();
	}

	/**
	 * These options with other classes, for a caller with its own default load.
	 * @param classes the classes
	 * @return the new options
	 */
	public DriverOptions withClasses(List<ConnectionClass> classes) {
		return new DriverOptions(this.host, this.port, List.copyOf(classes), this.duration, this.warmup, this.drain,
				this.ioThreads, this.scenario, this.server, this.run);
	}

	private static final class Parser {

		private String host = "127.0.0.1";

		private int port = 9601;

		private final List<ConnectionClass> classes = new ArrayList<>();

		private Integer connections;

		private Integer depth;

		private String request;

		private Duration duration = Duration.ofSeconds(10);

		private Duration warmup = Duration.ofSeconds(3);

		private Duration drain = Duration.ofSeconds(5);

		private int ioThreads = 2;

		private String scenario = "-";

		private String server = "-";

		private int run = 1;

		private boolean allowNonLoopback;

		void set(String name, String value) {
			switch (name) {
				case "--host" -> this.host = value;
				case "--port" -> this.port = Integer.parseInt(value);
				case "--class" -> this.classes.add(ConnectionClass.parse(value));
				case "--connections" -> this.connections = Integer.parseInt(value);
				case "--depth" -> this.depth = Integer.parseInt(value);
				case "--request" -> this.request = value;
				case "--duration" -> this.duration = duration(value);
				case "--warmup" -> this.warmup = duration(value);
				case "--drain" -> this.drain = duration(value);
				case "--io-threads" -> this.ioThreads = Integer.parseInt(value);
				case "--scenario" -> this.scenario = value;
				case "--server" -> this.server = value;
				case "--run" -> this.run = Integer.parseInt(value);
				default -> throw new IllegalArgumentException("Unknown option " + name);
			}
		}

		private static Duration duration(String value) {
			Duration duration = DurationStyle.detectAndParse(value, ChronoUnit.SECONDS);
			if (duration.isNegative()) {
				throw new IllegalArgumentException("A time must not be negative: " + value);
			}
			return duration;
		}

		DriverOptions build() {
			checkHost();
			boolean single = this.connections != null || this.depth != null || this.request != null;
			if (single && !this.classes.isEmpty()) {
				throw new IllegalArgumentException("Use either --class or --connections/--depth/--request, not both");
			}
			List<ConnectionClass> classes = new ArrayList<>(this.classes);
			if (single) {
				classes.add(new ConnectionClass(orDefault(this.connections, 64),
						RequestMix.parse((this.request != null) ? this.request : "T"), orDefault(this.depth, 1)));
			}
			if (this.duration.isZero() || this.ioThreads < 1) {
				throw new IllegalArgumentException("--duration must be positive and --io-threads at least 1");
			}
			return new DriverOptions(this.host, this.port, List.copyOf(classes), this.duration, this.warmup, this.drain,
					this.ioThreads, this.scenario, this.server, this.run);
		}

		private void checkHost() {
			try {
				if (!this.allowNonLoopback && !InetAddress.getByName(this.host).isLoopbackAddress()) {
					throw new IllegalArgumentException("--host " + this.host + " is not a loopback address; pass"
							+ " --allow-non-loopback to load a server elsewhere");
				}
			}
			catch (UnknownHostException ex) {
				throw new IllegalArgumentException("Unknown host " + this.host, ex);
			}
		}

		private static int orDefault(Integer value, int defaultValue) {
			return (value != null) ? value : defaultValue;
		}

	}

}
