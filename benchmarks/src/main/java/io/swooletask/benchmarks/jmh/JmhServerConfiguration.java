package io.swooletask.benchmarks.jmh;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the micro-benchmarks start: the starter's auto-configuration, the probe
 * handlers and the customizer that hands out an event loop. Nothing is scanned, so the
 * benchmark server's beans stay out.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class JmhServerConfiguration {

	@Bean
	ProbeHandlers probeHandlers() {
		return new ProbeHandlers();
	}

	@Bean
	LoopCapture loopCapture() {
		return new LoopCapture();
	}

}
