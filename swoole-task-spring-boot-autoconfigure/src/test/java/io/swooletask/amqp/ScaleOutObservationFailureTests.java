package io.swooletask.amqp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Handlers;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.task.MessageObservations;

import org.awaitility.core.ConditionTimeoutException;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A task whose send observation fails on a node of the amqp transport.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutObservationFailureTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void taskWhoseSendObservationFailsIsNotAwaitedAndHoldsNoPlace() {
		ConfigurableApplicationContext origin = this.nodes.node("origin", Map.of("swoole.server.task-worker-num", "0"),
				(context) -> context.getBeanFactory()
					.registerSingleton("failingObservations", new FailingSendObservations()));
		SwooleServer server = origin.getBean(SwooleServer.class);
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		assertThatIllegalStateException().isThrownBy(() -> server.taskAsync(new Job("observed", 0)))
			.withMessage("send observation failing as asked");
		assertThat(transport.counters().awaitingReplies()).as("tasks awaiting their end").isZero();
		assertThat(server.stats().taskingNum()).as("capacity places taken").isZero();
	}

	@Test
	void taskWhoseSendObservationFailsAfterItsReplyTimeoutEndsOnce() {
		SlowFailingSendObservations observations = new SlowFailingSendObservations();
		ConfigurableApplicationContext origin = this.nodes.node("origin",
				Map.of("swoole.server.task-worker-num", "0", "swoole.server.amqp.reply-timeout", "200ms"),
				(context) -> context.getBeanFactory().registerSingleton("failingObservations", observations));
		SwooleServer server = origin.getBean(SwooleServer.class);
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		observations.transport.set(transport);
		assertThatIllegalStateException().isThrownBy(() -> server.taskAsync(new Job("observed", 0)))
			.withMessage("send observation failing as asked");
		assertThat(transport.counters().timedOut()).as("tasks timed out as well as failed").isZero();
		assertThat(server.stats().taskingNum()).as("capacity places taken").isZero();
	}

	@Test
	void sendStepFailingToCloseIsLoggedAndTheTaskRunsOnce(CapturedOutput output) {
		ConfigurableApplicationContext node = this.nodes.node("both", Map.of("swoole.server.task-worker-num", "1"),
				(context) -> context.getBeanFactory()
					.registerSingleton("failingObservations", new CloseFailingSendObservations()));
		SwooleServer server = node.getBean(SwooleServer.class);
		assertThat(server.<Done>taskAsync(new Job("observed", 0))).succeedsWithin(Duration.ofSeconds(20))
			.returns("observed -> OK", Done::text);
		assertThat(node.getBean(Handlers.class).runs).hasSize(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.stats().taskingNum() == 0);
		assertThat(server.stats().taskingNum()).as("capacity places taken").isZero();
		assertThat(output).containsOnlyOnce("failed in closing its send observation; the task is sent")
			.contains("java.lang.IllegalStateException: send step failing to close");
	}

	/**
	 * Fails the send, but only once the task's reply timeout has passed and the deadline
	 * check had the chance to time it out.
	 */
	static class SlowFailingSendObservations implements MessageObservations {

		final AtomicReference<AmqpTaskTransport> transport = new AtomicReference<>();

		@Override
		public Step send(Task task, Object parent, Map<String, Object> headers) {
			try {
				await().atMost(Duration.ofSeconds(2)).until(() -> this.transport.get().counters().timedOut() > 0);
			}
			catch (ConditionTimeoutException ex) {
				// the task was not awaited yet, so it could not time out
			}
			throw new IllegalStateException("send observation failing as asked");
		}

	}

	static class CloseFailingSendObservations implements MessageObservations {

		@Override
		public Step send(Task task, Object parent, Map<String, Object> headers) {
			return new Step() {

				@Override
				public void error(Throwable error) {
				}

				@Override
				public void close() {
					throw new IllegalStateException("send step failing to close");
				}

			};
		}

	}

	static class FailingSendObservations implements MessageObservations {

		@Override
		public Step send(Task task, Object parent, Map<String, Object> headers) {
			throw new IllegalStateException("send observation failing as asked");
		}

	}

}
