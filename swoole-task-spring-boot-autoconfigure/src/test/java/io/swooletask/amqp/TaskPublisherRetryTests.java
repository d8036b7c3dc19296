package io.swooletask.amqp;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.AddressResolver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TaskPublisher} against a broker that refuses its first connection attempts.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskPublisherRetryTests {

	private final String queue = RabbitBroker.newTaskQueue();

	private final AtomicInteger refusals = new AtomicInteger();

	private CachingConnectionFactory connectionFactory;

	private TaskPublisher publisher;

	@BeforeEach
	void declareQueue() {
		RabbitBroker.require();
		com.rabbitmq.client.ConnectionFactory refusing = new com.rabbitmq.client.ConnectionFactory() {

			@Override
			public com.rabbitmq.client.Connection newConnection(ExecutorService executor,
					AddressResolver addressResolver, String name) throws IOException, TimeoutException {
				if (TaskPublisherRetryTests.this.refusals.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
					throw new ConnectException("refused by the test");
				}
				return super.newConnection(executor, addressResolver, name);
			}

		};
		refusing.setHost(RabbitBroker.HOST);
		refusing.setPort(RabbitBroker.PORT);
		refusing.setAutomaticRecoveryEnabled(false);
		this.connectionFactory = new CachingConnectionFactory(refusing);
		new RabbitAdmin(this.connectionFactory).declareQueue(new Queue(this.queue, false, false, false));
		this.publisher = new TaskPublisher(this.connectionFactory, this.queue, Duration.ofSeconds(30),
				Duration.ofSeconds(1), (id) -> true);
	}

	@AfterEach
	void deleteQueue() {
		if (this.publisher != null) {
			this.publisher.stop(new StopDeadline(System.nanoTime() + Duration.ofSeconds(5).toNanos()));
			new RabbitAdmin(this.connectionFactory).deleteQueue(this.queue);
			this.connectionFactory.destroy();
		}
	}

	@Test
	void taskRefusedThreeTimesIsPublishedOnce(CapturedOutput output) {
		this.connectionFactory.resetConnection();
		this.refusals.set(3);
		this.publisher.start();
		publish(1);
		await().atMost(Duration.ofSeconds(20)).until(() -> this.publisher.published() >= 1);
		publish(2);
		await().atMost(Duration.ofSeconds(20)).until(() -> copies().containsKey(2L));
		assertThat(copies()).isEqualTo(Map.of(1L, 1, 2L, 1));
		assertThat(output).containsOnlyOnce("Cannot publish tasks to queue '" + this.queue + "'");
	}

	private final Map<Long, Integer> received = new TreeMap<>();

	private void publish(long id) {
		long deadline = System.currentTimeMillis() + Duration.ofMinutes(1).toMillis();
		this.publisher.publish(this.queue, id,
				TaskMessages.task(TaskMessages.taskHeaders(id, 0, 0, deadline, "T"), id, "nowhere"), new byte[0],
				deadline);
	}

	/** The copies of each task id in the queue, taken from it so far. */
	private Map<Long, Integer> copies() {
		RabbitTemplate template = new RabbitTemplate(this.connectionFactory);
		for (Message message = template.receive(this.queue); message != null; message = template.receive(this.queue)) {
			this.received.merge(TaskMessages.longHeader(message.getMessageProperties(), TaskMessages.TASK_ID), 1,
					Integer::sum);
		}
		return this.received;
	}

}
