package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks published from one thread to one queue, as the ordered tasks of a key are, reach
 * the queue in that order though channels close under the publisher: a task sent again
 * goes before every task not sent yet. A task the broker had may be queued twice
 * (at-least-once); its first copy is in order.
 */
class TaskPublisherOrderTests {

	private final String queue = RabbitBroker.newTaskQueue();

	private final List<Channel> channels = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();

	private CachingConnectionFactory connectionFactory;

	private TaskPublisher publisher;

	@BeforeEach
	void startPublisher() {
		RabbitBroker.require();
		this.connectionFactory = new CachingConnectionFactory(RabbitBroker.HOST, RabbitBroker.PORT);
		this.connectionFactory.addChannelListener((channel, transactional) -> this.channels.add(channel));
		new RabbitAdmin(this.connectionFactory).declareQueue(new Queue(this.queue, false, false, false));
		this.publisher = new TaskPublisher(this.connectionFactory, this.queue, Duration.ofSeconds(2),
				Duration.ofSeconds(1), (id) -> true);
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() throws InterruptedException {
		this.load.shutdownNow();
		this.load.awaitTermination(5, TimeUnit.SECONDS);
		if (this.publisher != null) {
			this.publisher.stop(new StopDeadline(System.nanoTime() + Duration.ofSeconds(5).toNanos()));
		}
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
			RabbitBroker.delete(this.queue);
		}
	}

	@Test
	void tasksSentAgainAfterChannelsCloseStayAheadOfLaterOnes() throws Exception {
		this.load.scheduleAtFixedRate(() -> publish(this.ids.incrementAndGet()), 0, 200, TimeUnit.MICROSECONDS);
		for (int close = 0; close < 5; close++) {
			long published = this.publisher.published();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.publisher.published() > published + 500);
			this.channels.get(this.channels.size() - 1).abort();
		}
		this.load.shutdownNow();
		assertThat(this.load.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.publisher.held() == 0);
		List<Long> firstCopies = new ArrayList<>();
		Set<Long> seen = new HashSet<>();
		try (com.rabbitmq.client.Connection connection = this.connectionFactory.getRabbitConnectionFactory()
			.newConnection(); Channel channel = connection.createChannel()) {
			for (GetResponse response = channel.basicGet(this.queue, true); response != null; response = channel
				.basicGet(this.queue, true)) {
				long id = Long.parseLong(response.getProps().getMessageId());
				if (seen.add(id)) {
					firstCopies.add(id);
				}
			}
		}
		List<Long> inOrder = new ArrayList<>();
		for (long id = 1; id <= this.ids.get(); id++) {
			inOrder.add(id);
		}
		assertThat(firstCopies).isEqualTo(inOrder);
	}

	private void publish(long id) {
		long deadline = System.currentTimeMillis() + Duration.ofMinutes(1).toMillis();
		AMQP.BasicProperties properties = TaskMessages.task(TaskMessages.taskHeaders(id, 0, 0, deadline, "T"), id,
				"nowhere");
		this.publisher.publish(this.queue, id, properties, new byte[0], deadline);
	}

}
