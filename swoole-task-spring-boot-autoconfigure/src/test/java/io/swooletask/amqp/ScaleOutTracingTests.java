package io.swooletask.amqp;

import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.TestClient;
import io.swooletask.support.TestTracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace per message across two nodes: the trace of the TCP node's receive goes to the
 * worker node in the task's message headers, so that the task span there descends from
 * the receive span, and the finish span back on the TCP node is a child of the receive.
 */
class ScaleOutTracingTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	private final TestTracing tracing = new TestTracing();

	@AfterEach
	void closeTracing() {
		this.tracing.close();
	}

	@Test
	void taskSpanOnTheWorkerNodeContinuesTheTraceOfTheReceive() {
		roundTrip();
		SpanData receive = this.tracing.span("swoole.receive");
		SpanData send = this.tracing.span("swoole.task.send");
		SpanData delivery = this.tracing.span("swoole.task.delivery");
		SpanData task = this.tracing.span("swoole.task");
		assertThat(send.getParentSpanId()).isEqualTo(receive.getSpanId());
		assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
		assertThat(delivery.getParentSpanId()).isEqualTo(send.getSpanId());
		assertThat(delivery.getKind()).isEqualTo(SpanKind.CONSUMER);
		assertThat(task.getParentSpanId()).isEqualTo(delivery.getSpanId());
		assertThat(task.getTraceId()).isEqualTo(receive.getTraceId());
	}

	@Test
	void traceOfAMessageCrossesTheBrokerBetweenItsReceiveAndItsTask() {
		roundTrip();
		assertThat(this.tracing.tree()).isEqualTo("""
				swoole.receive [INTERNAL] handler=handlers.receive, outcome=success, transport=amqp
				  swoole.task.send [PRODUCER] outcome=success, peer.service=rabbitmq, transport=amqp
				    swoole.task.delivery [CONSUMER] outcome=success, peer.service=rabbitmq, transport=amqp
				      swoole.task [INTERNAL] handler=handlers.run, outcome=success, transport=amqp
				  swoole.finish [INTERNAL] handler=handlers.done, outcome=success, transport=amqp
				""");
	}

	@Test
	void finishSpanOnTheTcpNodeIsAChildOfTheReceive() {
		roundTrip();
		SpanData receive = this.tracing.span("swoole.receive");
		SpanData finish = this.tracing.span("swoole.finish");
		assertThat(finish.getTraceId()).isEqualTo(receive.getTraceId());
		assertThat(finish.getParentSpanId()).isEqualTo(receive.getSpanId());
	}

	private void roundTrip() {
		int port = traced("origin",
				Map.of("swoole.server.task-worker-num", "0", "swoole.server.observations.enabled", "true"))
			.getBean(SwooleServer.class)
			.port();
		traced("worker", Map.of("swoole.server.task-worker-num", "1", "swoole.server.listen", "false",
				"swoole.server.observations.enabled", "true"));
		try (TestClient client = TestClient.connect(port)) {
			client.send("T a\n");
			assertThat(client.readLine()).isEqualTo("a -> OK @worker");
		}
		await().until(() -> this.tracing.spans().size() == 5);
	}

	private ConfigurableApplicationContext traced(String name, Map<String, Object> properties) {
		ObservationRegistry registry = this.tracing.registry();
		return this.nodes.node(name, properties,
				(context) -> context.getBeanFactory().registerSingleton("observationRegistry", registry));
	}

}
