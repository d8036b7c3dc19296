package io.swooletask.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.autoconfigure.SwooleServerObservationAutoConfiguration;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import io.swooletask.task.MessageObservations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The receive, task and finish observations of a message on a local server, made in a
 * {@link TestObservationRegistry}: the task and finish observations are children of the
 * receive, though they run on a task worker and later on the loop.
 */
@ExtendWith(OutputCaptureExtension.class)
class MessageObservationsIntegrationTests {

	private static final String HANDLERS = "messageObservationsIntegrationTests.Handlers";

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SwooleServerObservationAutoConfiguration.class))
		.withBean(ObservationRegistry.class, () -> this.registry)
		.withBean(Handlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.open-eof-split=true", "swoole.server.observations.enabled=true");

	@Test
	void taskObservationIsAChildOfTheReceiveOnAnotherThread() {
		roundTrip("hello", "hello -> OK");
		assertThat(this.registry).hasObservationWithNameEqualTo("swoole.task")
			.that()
			.hasBeenStarted()
			.hasBeenStopped()
			.hasParentObservationContextMatching((parent) -> "swoole.receive".equals(parent.getName()))
			.hasLowCardinalityKeyValue("handler", HANDLERS + ".task")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasLowCardinalityKeyValue("transport", "local");
	}

	@Test
	void finishObservationIsAChildOfTheReceive() {
		roundTrip("hello", "hello -> OK");
		assertThat(this.registry).hasObservationWithNameEqualTo("swoole.finish")
			.that()
			.hasBeenStopped()
			.hasParentObservationContextMatching((parent) -> "swoole.receive".equals(parent.getName()))
			.hasLowCardinalityKeyValue("handler", HANDLERS + ".finish");
	}

	@Test
	void receiveObservationIsTheRoot() {
		roundTrip("hello", "hello -> OK");
		assertThat(this.registry).hasObservationWithNameEqualTo("swoole.receive")
			.that()
			.hasBeenStopped()
			.doesNotHaveParentObservation()
			.hasLowCardinalityKeyValue("handler", HANDLERS + ".receive")
			.hasLowCardinalityKeyValue("outcome", "success");
	}

	@Test
	void failedTaskIsObservedWithItsError(CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("fail\r\n");
				await().untilAsserted(() -> assertThat(this.registry).hasObservationWithNameEqualTo("swoole.task")
					.that()
					.hasBeenStopped()
					.hasLowCardinalityKeyValue("outcome", "error")
					.assertThatError()
					.hasMessage("failing as asked"));
			}
		});
		assertThat(output).contains("failed in " + HANDLERS + ".task");
	}

	@Test
	void conventionBeanReplacesTheDefault() {
		this.runner.withBean(SwooleTaskObservationConvention.class, CustomTaskConvention::new).run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("hello\r\n");
				assertThat(client.readLine()).isEqualTo("hello -> OK");
			}
			await().untilAsserted(() -> assertThat(this.registry).hasObservationWithNameEqualTo("custom.task")
				.that()
				.hasBeenStopped()
				.hasLowCardinalityKeyValue("kind", "custom"));
		});
	}

	@Test
	void noObservationsWithoutARegistry() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class,
					SwooleServerObservationAutoConfiguration.class))
			.withPropertyValues("swoole.server.listen=false", "swoole.server.observations.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(MessageObservations.class));
	}

	@Test
	void noObservationsUnlessTurnedOn() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class,
					SwooleServerObservationAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> this.registry)
			.withPropertyValues("swoole.server.listen=false")
			.run((context) -> assertThat(context).doesNotHaveBean(MessageObservations.class));
	}

	private void roundTrip(String line, String reply) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send(line + "\r\n");
				assertThat(client.readLine()).isEqualTo(reply);
			}
			await().untilAsserted(() -> assertThat(this.registry).hasObservationWithNameEqualTo("swoole.finish")
				.that()
				.hasBeenStopped());
		});
	}

	static class Handlers {

		@OnReceive
		void receive(SwooleServer server, String line) {
			server.task(line);
		}

		@OnTask
		String task(String data) {
			if (data.equals("fail")) {
				throw new IllegalStateException("failing as asked");
			}
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

	static class CustomTaskConvention extends DefaultSwooleTaskObservationConvention {

		@Override
		public String getName() {
			return "custom.task";
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(SwooleTaskContext context) {
			return KeyValues.of("kind", "custom");
		}

	}

}
