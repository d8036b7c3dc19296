package io.swooletask.benchmarks.starter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark protocol on the starter: an ordinary Spring Boot application with one
 * annotated handlers bean, configured by {@code application-bench.yml} (two event loops,
 * four task workers, one message per line). Any {@code swoole.server.*} setting can be
 * overridden on the command line, for example {@code --swoole.server.port=0}. Prints
 * {@code READY port=<port> transport=<channel class>} once bound.
 */
@SpringBootApplication
public class StarterBenchServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(StarterBenchServer.class);
		application.setAdditionalProfiles("bench");
		application.run(args);
	}

}
