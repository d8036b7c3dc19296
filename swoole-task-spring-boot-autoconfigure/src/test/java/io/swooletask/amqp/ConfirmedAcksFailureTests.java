package io.swooletask.amqp;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConfirmedAcks} whose acknowledgement or rejection of a task fails, here because
 * its channel closed under it: each failure is a warning of one line, since the task is
 * delivered again.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfirmedAcksFailureTests {

	private final String tasks = RabbitBroker.newTaskQueue();

	private Connection connection;

	private Channel channel;

	private ConfirmedAcks acks;

	private long deliveryTag;

	@BeforeEach
	void takeATaskAndCloseItsChannel() throws Exception {
		RabbitBroker.require();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(RabbitBroker.HOST);
		factory.setPort(RabbitBroker.PORT);
		this.connection = factory.newConnection();
		this.channel = this.connection.createChannel();
		this.channel.queueDeclare(this.tasks, false, false, false, null);
		this.channel.basicPublish("", this.tasks, null, new byte[] { 1 });
		this.acks = ConfirmedAcks.open(this.channel);
		this.deliveryTag = this.channel.basicGet(this.tasks, false).getEnvelope().getDeliveryTag();
		this.channel.close();
	}

	@AfterEach
	void deleteQueue() throws Exception {
		if (this.connection == null) {
			return;
		}
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDelete(this.tasks);
		}
		this.connection.close();
	}

	@Test
	void aFailedAcknowledgementIsAWarning(CapturedOutput output) {
		this.acks.settle(this.deliveryTag, this.acks.nextSequence());
		assertThat(output.getAll().lines().filter((line) -> line.contains("Cannot acknowledge task delivery")))
			.singleElement()
			.asString()
			.contains("WARN");
		assertThat(output).doesNotContain("\tat ");
	}

	@Test
	void aFailedRejectionIsAWarning(CapturedOutput output) {
		this.acks.discard(this.deliveryTag);
		assertThat(output.getAll().lines().filter((line) -> line.contains("Cannot reject task delivery")))
			.singleElement()
			.asString()
			.contains("WARN");
		assertThat(output).doesNotContain("\tat ");
	}

}
