package io.swooletask.benchmarks.floor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An empty Spring Boot application: what any Boot application pays to start, against
 * which {@code benchmarks/startup.sh} measures the sample's start-up.
 */
@SpringBootApplication
public class FloorApplication {

	public static void main(String[] args) {
		SpringApplication.run(FloorApplication.class, args);
	}

}
