package io.swooletask.observation;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerObservationAutoConfiguration;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import io.swooletask.support.TestTracing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One trace per message on a local server, through Micrometer Tracing over OpenTelemetry:
 * the receive span is the parent of the task span, recorded on a task worker, and of the
 * finish span, and the MDC of the {@code @OnTask} method carries the trace id.
 */
class MessageTracingIntegrationTests {

	private final TestTracing tracing = new TestTracing();

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SwooleServerObservationAutoConfiguration.class))
		.withBean(ObservationRegistry.class, this.tracing::registry)
		.withBean(Handlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.open-eof-split=true", "swoole.server.observations.enabled=true");

	@AfterEach
	void closeTracing() {
		this.tracing.close();
	}

	@Test
	void taskSpanOnTheWorkerIsAChildOfTheReceiveSpan() {
		roundTrip();
		SpanData receive = this.tracing.span("swoole.receive");
		SpanData task = this.tracing.span("swoole.task");
		assertThat(task.getTraceId()).isEqualTo(receive.getTraceId());
		assertThat(task.getParentSpanId()).isEqualTo(receive.getSpanId());
	}

	@Test
	void finishSpanIsAChildOfTheReceiveSpan() {
		roundTrip();
		SpanData receive = this.tracing.span("swoole.receive");
		SpanData finish = this.tracing.span("swoole.finish");
		assertThat(finish.getTraceId()).isEqualTo(receive.getTraceId());
		assertThat(finish.getParentSpanId()).isEqualTo(receive.getSpanId());
	}

	@Test
	void traceOfAMessageIsItsReceiveWithTheTaskAndTheFinishUnderIt() {
		roundTrip();
		assertThat(this.tracing.tree()).isEqualTo(
				"""
						swoole.receive [INTERNAL] handler=messageTracingIntegrationTests.Handlers.receive, outcome=success, transport=local
						  swoole.task [INTERNAL] handler=messageTracingIntegrationTests.Handlers.task, outcome=success, transport=local
						  swoole.finish [INTERNAL] handler=messageTracingIntegrationTests.Handlers.finish, outcome=success, transport=local
						""");
	}

	@Test
	void mdcInTheTaskHandlerCarriesTheTraceIdOfItsMessage() {
		Handlers handlers = roundTrip();
		SpanData task = this.tracing.span("swoole.task");
		assertThat(handlers.taskMdc).containsExactly(task.getTraceId() + "/" + task.getSpanId());
	}

	private Handlers roundTrip() {
		Handlers[] handlers = new Handlers[1];
		this.runner.run((context) -> {
			handlers[0] = context.getBean(Handlers.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("hello\r\n");
				assertThat(client.readLine()).isEqualTo("hello -> OK");
			}
			await().until(() -> this.tracing.spans().size() == 3);
		});
		return handlers[0];
	}

	static class Handlers {

		final Queue<String> taskMdc = new ConcurrentLinkedQueue<>();

		@OnReceive
		void receive(SwooleServer server, String line) {
			server.task(line);
		}

		@OnTask
		String task(String data) {
			this.taskMdc.add(MDC.get("traceId") + "/" + MDC.get("spanId"));
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

}
