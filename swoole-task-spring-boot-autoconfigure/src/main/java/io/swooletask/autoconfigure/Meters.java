package io.swooletask.autoconfigure;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Registers the starter's meters that read their value from an object at each scrape.
 */
final class Meters {

	private Meters() {
	}

	static <T> void counter(MeterRegistry registry, String name, String description, T source,
			ToDoubleFunction<T> value) {
		FunctionCounter.builder(name, source, value).description(description).register(registry);
	}

	static <T> void gauge(MeterRegistry registry, String name, String description, T source,
			ToDoubleFunction<T> value) {
		Gauge.builder(name, source, value).description(description).register(registry);
	}

}
