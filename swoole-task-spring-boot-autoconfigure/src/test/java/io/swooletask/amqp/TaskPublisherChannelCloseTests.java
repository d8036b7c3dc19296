package io.swooletask.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TaskPublisher} when its channel closes while it publishes. The connection
 * factory caches channels behind proxies that open a new channel, outside confirm mode
 * and without the publisher's listeners, on the first call after theirs closed.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskPublisherChannelCloseTests {

	private static final String CANNOT_PUBLISH = "Cannot publish tasks to queue";

	private final String queue = RabbitBroker.newTaskQueue();

	private final List<Channel> created = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	private final AtomicInteger connections = new AtomicInteger();

	private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();

	private CachingConnectionFactory connectionFactory;

	private RabbitAdmin admin;

	private TaskPublisher publisher;

	@BeforeEach
	void startPublisher() {
		RabbitBroker.require();
		this.connectionFactory = new CachingConnectionFactory(RabbitBroker.HOST, RabbitBroker.PORT);
		this.connectionFactory.addChannelListener((channel, transactional) -> this.created.add(channel));
		this.connectionFactory.addConnectionListener((connection) -> this.connections.incrementAndGet());
		this.admin = new RabbitAdmin(this.connectionFactory);
		this.admin.declareQueue(new Queue(this.queue, false, false, false));
		this.publisher = new TaskPublisher(this.connectionFactory, this.queue, Duration.ofSeconds(2),
				Duration.ofSeconds(1), (id) -> true);
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() {
		this.load.shutdownNow();
		if (this.publisher != null) {
			this.publisher.stop(new StopDeadline(System.nanoTime() + Duration.ofSeconds(5).toNanos()));
			this.connectionFactory.destroy();
			RabbitBroker.delete(this.queue);
		}
	}

	@Test
	void aTaskWhoseChannelClosesAsItIsPublishedIsPublishedOnce(CapturedOutput output) {
		publish(task(this.ids.incrementAndGet()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.publisher.published() == 1);
		publish(new ClosingChannelProperties(task(this.ids.incrementAndGet()), lastCreated()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.publisher.published() == 2);
		assertThat(this.admin.getQueueInfo(this.queue).getMessageCount()).isEqualTo(2);
		assertThat(output).contains(CANNOT_PUBLISH);
	}

	/**
	 * Half the channels close from outside at any moment, half as a task is published on
	 * them: an outside close lands between the check and the publish only by chance.
	 */
	@Test
	void channelsClosedUnderLoadLeaveNoPlaceTakenInTheWindow(CapturedOutput output) throws IOException {
		this.load.scheduleAtFixedRate(() -> publish(task(this.ids.incrementAndGet())), 0, 100, TimeUnit.MICROSECONDS);
		for (int i = 0; i < 30; i++) {
			long published = this.publisher.published();
			await().atMost(Duration.ofSeconds(10)).until(() -> this.publisher.published() > published + 500);
			if (i % 2 == 0) {
				lastCreated().abort();
			}
			else {
				publish(new ClosingChannelProperties(task(this.ids.incrementAndGet()), lastCreated()));
			}
		}
		this.load.shutdownNow();
		await().atMost(Duration.ofSeconds(15)).until(() -> this.publisher.held() == 0);
		assertThat(this.publisher.published()).isGreaterThanOrEqualTo(this.ids.get());
		assertThat(output).contains(CANNOT_PUBLISH);
		assertThat(this.connections).as("connections opened: a closed channel never cost the connection").hasValue(1);
	}

	private Channel lastCreated() {
		return this.created.get(this.created.size() - 1);
	}

	private AMQP.BasicProperties task(long id) {
		long deadline = System.currentTimeMillis() + Duration.ofMinutes(1).toMillis();
		return TaskMessages.task(TaskMessages.taskHeaders(id, 0, 0, deadline, "T"), id, "nowhere");
	}

	private void publish(AMQP.BasicProperties properties) {
		this.publisher.publish(this.queue, Long.parseLong(properties.getMessageId()), properties, new byte[0],
				System.currentTimeMillis() + Duration.ofMinutes(1).toMillis());
	}

	/**
	 * A task's properties that close a channel when the publisher starts publishing the
	 * task: after it found its channel open, before it publishes on it.
	 */
	private static final class ClosingChannelProperties extends AMQP.BasicProperties {

		private final Channel channel;

		ClosingChannelProperties(AMQP.BasicProperties task, Channel channel) {
			super(task.getContentType(), task.getContentEncoding(), task.getHeaders(), task.getDeliveryMode(),
					task.getPriority(), task.getCorrelationId(), task.getReplyTo(), task.getExpiration(),
					task.getMessageId(), task.getTimestamp(), task.getType(), task.getUserId(), task.getAppId(),
					task.getClusterId());
			this.channel = channel;
		}

		@Override
		public AMQP.BasicProperties.Builder builder() {
			try {
				if (this.channel.isOpen()) {
					this.channel.abort();
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return super.builder();
		}

	}

}
