package io.swooletask.benchmarks.starter;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * Profile {@code observed}: an {@link ObservationRegistry}, so that the steps of every
 * message are observed. With {@code bench.observation-handler=timers} (the default) it
 * turns each observation into a timer, as an application with Spring Boot Actuator's
 * metrics does; with {@code none} its one handler does nothing, which leaves the cost of
 * the observations themselves. {@code benchmarks/observations.sh} compares the server
 * with and without it.
 */
@Configuration(proxyBeanMethods = false)
@Profile("observed")
class ObservedBench {

	@Bean
	ObservationRegistry observationRegistry(@Value("${bench.observation-handler:timers}") String handler) {
		ObservationHandler<Observation.Context> none = (context) -> true;
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(
					handler.equals("none") ? none : new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		return registry;
	}

}
