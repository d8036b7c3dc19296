package io.swooletask.amqp;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.task.DispatchedTask;
import io.swooletask.task.MessageObservations;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A task whose send observation fails on a node of the amqp transport.
 */
class ScaleOutObservationFailureTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void taskWhoseSendObservationFailsIsNotAwaitedAndHoldsNoPlace() {
		ConfigurableApplicationContext origin = this.nodes.node("origin",
				Map.of("swoole.server.task-worker-num", "0"), (context) -> context.getBeanFactory()
					.registerSingleton("failingObservations", new FailingSendObservations()));
		SwooleServer server = origin.getBean(SwooleServer.class);
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		assertThatIllegalStateException().isThrownBy(() -> server.taskAsync(new Job("observed", 0)))
			.withMessage("send observation failing as asked");
		assertThat(transport.counters().awaitingReplies()).as("tasks awaiting their end").isZero();
		assertThat(server.stats().taskingNum()).as("capacity places taken").isZero();
	}

	static class FailingSendObservations implements MessageObservations {

		@Override
		public Step send(DispatchedTask task, Map<String, Object> headers) {
			throw new IllegalStateException("send observation failing as asked");
		}

	}

}
