package io.swooletask.support;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.EventPublishingContextWrapper;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.otel.bridge.Slf4JEventListener;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * Micrometer Tracing over the OpenTelemetry SDK, as an application wires it: every span
 * sampled and kept in memory, W3C trace context propagated through message headers, and
 * the trace and span ids put in the SLF4J MDC while a span is in scope, through the
 * wrapper of OpenTelemetry's context storage that is added once per JVM, before the
 * storage is first used.
 */
public final class TestTracing implements AutoCloseable {

	private static final Slf4JEventListener mdc = new Slf4JEventListener();

	static {
		ContextStorage.addWrapper(new EventPublishingContextWrapper(mdc::onEvent));
	}

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final SdkTracerProvider provider = SdkTracerProvider.builder()
		.setSampler(Sampler.alwaysOn())
		.addSpanProcessor(SimpleSpanProcessor.create(this.exporter))
		.build();

	/**
	 * A registry that records a span for every observation, sharing this tracing's spans:
	 * one per node.
	 * @return the registry
	 */
	public ObservationRegistry registry() {
		io.opentelemetry.api.trace.Tracer otel = this.provider.get("swoole-test");
		OtelTracer tracer = new OtelTracer(otel, new OtelCurrentTraceContext(), mdc::onEvent);
		OtelPropagator propagator = new OtelPropagator(
				ContextPropagators.create(W3CTraceContextPropagator.getInstance()), otel);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer)));
		return registry;
	}

	/**
	 * The spans ended so far.
	 * @return the spans
	 */
	public List<SpanData> spans() {
		return this.exporter.getFinishedSpanItems();
	}

	/**
	 * The spans ended so far with a name.
	 * @param name the span name
	 * @return the only such span
	 */
	public SpanData span(String name) {
		List<SpanData> named = spans().stream().filter((span) -> span.getName().equals(name)).toList();
		if (named.size() != 1) {
			throw new IllegalStateException(named.size() + " spans named " + name + " in " + spans());
		}
		return named.get(0);
	}

	/**
	 * The spans as a tree, one line each: name, kind and attributes, children indented
	 * under their parent, in start order.
	 * @return the tree
	 */
	public String tree() {
		List<SpanData> spans = spans().stream().sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
		Map<String, List<SpanData>> children = spans.stream().collect(Collectors.groupingBy(SpanData::getParentSpanId));
		StringBuilder tree = new StringBuilder();
		spans.stream()
			.filter((span) -> spans.stream().noneMatch((other) -> other.getSpanId().equals(span.getParentSpanId())))
			.forEach((root) -> append(tree, root, children, ""));
		return tree.toString();
	}

	private void append(StringBuilder tree, SpanData span, Map<String, List<SpanData>> children, String indent) {
		String attributes = span.getAttributes()
			.asMap()
			.entrySet()
			.stream()
			.map((entry) -> entry.getKey().getKey() + "=" + entry.getValue())
			.sorted()
			.collect(Collectors.joining(", "));
		tree.append(indent)
			.append(span.getName())
			.append(" [")
			.append(span.getKind())
			.append("] ")
			.append(attributes)
			.append("\n");
		for (SpanData child : children.getOrDefault(span.getSpanId(), List.of())) {
			append(tree, child, children, indent + "  ");
		}
	}

	@Override
	public void close() {
		this.provider.close();
	}

}
