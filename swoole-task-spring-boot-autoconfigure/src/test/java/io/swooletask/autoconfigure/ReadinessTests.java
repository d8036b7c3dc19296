package io.swooletask.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.swooletask.server.SwooleServer;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness probes learn that the application refuses traffic when the server begins its
 * drain, while its connections are still open.
 */
class ReadinessTests {

	@Test
	void refusingTrafficIsPublishedBeforeTheDrainClosesTheConnections() {
		ReadinessRecorder recorder = new ReadinessRecorder();
		SwooleContextRunner.create()
			.withBean(EchoTaskHandlers.class)
			.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1")
			.withInitializer((context) -> context.addApplicationListener(recorder))
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				recorder.server = server;
				try (TestClient client = TestClient.connect(server.port())) {
					client.send("hello");
					assertThat(client.readLine()).isEqualTo("hello -> OK");
					context.close();
				}
				assertThat(recorder.seen).containsExactly("REFUSING_TRAFFIC with 1 connection open");
			});
	}

	static class ReadinessRecorder implements ApplicationListener<AvailabilityChangeEvent<?>> {

		final List<String> seen = new CopyOnWriteArrayList<>();

		volatile SwooleServer server;

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
			if (event.getState() instanceof ReadinessState state) {
				this.seen.add(state + " with " + this.server.stats().connectionNum() + " connection open");
			}
		}

	}

}
