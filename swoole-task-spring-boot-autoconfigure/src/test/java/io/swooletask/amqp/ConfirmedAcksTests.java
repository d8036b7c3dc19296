package io.swooletask.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link ConfirmedAcks} on a real broker: tasks taken from a queue, their replies
 * published, and what comes back to the queue when the channel closes tells which tasks
 * were acknowledged.
 */
class ConfirmedAcksTests {

	private static final int TASKS = 200;

	private final String tasks = RabbitBroker.newTaskQueue();

	private final String replies = this.tasks + ".replies";

	private Connection connection;

	private Channel channel;

	private ConfirmedAcks acks;

	@BeforeEach
	void declareQueues() throws Exception {
		RabbitBroker.require();
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(RabbitBroker.HOST);
		factory.setPort(RabbitBroker.PORT);
		this.connection = factory.newConnection();
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDeclare(this.tasks, false, false, false, null);
			channel.queueDeclare(this.replies, false, false, false, null);
			for (int i = 0; i < TASKS; i++) {
				channel.basicPublish("", this.tasks, null, new byte[] { (byte) i });
			}
		}
		this.channel = this.connection.createChannel();
		this.acks = ConfirmedAcks.open(this.channel);
	}

	@AfterEach
	void deleteQueues() throws Exception {
		if (this.connection == null) {
			return;
		}
		try (Channel channel = this.connection.createChannel()) {
			channel.queueDelete(this.tasks);
			channel.queueDelete(this.replies);
		}
		this.connection.close();
	}

	@Test
	void tasksWhoseRepliesAreConfirmedAreAcknowledged() throws Exception {
		List<GetResponse> taken = take(TASKS);
		GetResponse unsettled = taken.remove(TASKS - 1);
		for (GetResponse task : taken) {
			reply(task, 2);
		}
		this.acks.awaitAcknowledged(deadlineIn(Duration.ofSeconds(30)));
		this.channel.close();
		// the unsettled one comes back with any other task left unacknowledged
		await().atMost(Duration.ofSeconds(30)).until(() -> ready(this.tasks) > 0);
		assertThat(ready(this.tasks)).isOne();
		assertThat(ready(this.replies)).isEqualTo(2 * (TASKS - 1));
		try (Channel channel = this.connection.createChannel()) {
			assertThat(channel.basicGet(this.tasks, true).getBody()).isEqualTo(unsettled.getBody());
		}
	}

	@Test
	void aTaskLeftUnsettledGoesBackToTheQueueAndTheOnesAfterItDoNot() throws Exception {
		List<GetResponse> taken = take(TASKS);
		GetResponse unsettled = taken.remove(TASKS / 2);
		for (GetResponse task : taken) {
			reply(task, 1);
		}
		this.acks.awaitAcknowledged(deadlineIn(Duration.ofSeconds(30)));
		this.channel.close();
		await().atMost(Duration.ofSeconds(30)).until(() -> ready(this.tasks) > 0);
		assertThat(ready(this.tasks)).isOne();
		try (Channel channel = this.connection.createChannel()) {
			assertThat(channel.basicGet(this.tasks, true).getBody()).isEqualTo(unsettled.getBody());
		}
	}

	@Test
	void aTaskWhoseRepliesAreConfirmedIsNotAcknowledgedBeforeItIsSettled() throws Exception {
		take(1);
		this.acks.expect();
		this.channel.basicPublish("", this.replies, null, new byte[0]);
		this.channel.waitForConfirmsOrDie(TimeUnit.SECONDS.toMillis(30));
		this.channel.close();
		await().atMost(Duration.ofSeconds(30)).until(() -> ready(this.tasks) == TASKS);
	}

	private List<GetResponse> take(int count) throws IOException {
		List<GetResponse> taken = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			taken.add(this.channel.basicGet(this.tasks, false));
		}
		return taken;
	}

	private void reply(GetResponse task, int replies) throws IOException {
		long first = this.acks.nextSequence();
		for (int i = 0; i < replies; i++) {
			this.acks.expect();
			this.channel.basicPublish("", this.replies, null, task.getBody());
		}
		this.acks.settle(task.getEnvelope().getDeliveryTag(), first);
	}

	private long ready(String queue) throws Exception {
		try (Channel channel = this.connection.createChannel()) {
			return channel.queueDeclarePassive(queue).getMessageCount();
		}
	}

	private static StopDeadline deadlineIn(Duration duration) {
		return new StopDeadline(System.nanoTime() + duration.toNanos());
	}

}
