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

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
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
 * {@link TaskPublisher} when the broker does not confirm within {@code confirm-timeout}:
 * its connection is stalled by a {@link BrokerProxy}, forwarding nothing until resumed.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskPublisherConfirmTimeoutTests {

	private static final String TIMEOUT = "has not confirmed tasks published to queue";

	private final String queue = RabbitBroker.newTaskQueue();

	private final List<Channel> created = new CopyOnWriteArrayList<>();

	private final AtomicLong ids = new AtomicLong();

	private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();

	private BrokerProxy proxy;

	private CachingConnectionFactory connectionFactory;

	private TaskPublisher publisher;

	@BeforeEach
	void startPublisher() throws Exception {
		RabbitBroker.require();
		this.proxy = BrokerProxy.start();
		this.connectionFactory = new CachingConnectionFactory();
		this.connectionFactory.setAddresses(this.proxy.address());
		this.connectionFactory.addChannelListener((channel, transactional) -> this.created.add(channel));
		new RabbitAdmin(this.connectionFactory).declareQueue(new Queue(this.queue, false, false, false));
		this.publisher = new TaskPublisher(this.connectionFactory, this.queue, Duration.ofMillis(500),
				Duration.ofSeconds(1), (id) -> true);
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() throws Exception {
		this.load.shutdownNow();
		if (this.proxy != null) {
			this.proxy.resumeAll();
			this.publisher.stop(new StopDeadline(System.nanoTime() + Duration.ofSeconds(5).toNanos()));
			this.connectionFactory.destroy();
			this.proxy.close();
			RabbitBroker.delete(this.queue);
		}
	}

	@Test
	void tasksUnconfirmedAtTheTimeoutAreSentAgainOnANewChannel(CapturedOutput output) {
		publish();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.publisher.published() == 1);
		this.proxy.links().forEach(this.proxy::stall);
		publish();
		await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains(TIMEOUT));
		this.proxy.resumeAll();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.publisher.published() >= 2);
		// the admin's channel, cached and then the publisher's first, and a new one (or
		// more: the task sent again may outlast the confirm timeout too on a slow
		// machine)
		assertThat(this.created).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
		assertThat(this.created.get(0).isOpen()).as("the channel given up on is open").isFalse();
	}

	@Test
	void unconfirmedTasksTimeOutUnderSteadyLoad(CapturedOutput output) {
		publish();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.publisher.published() == 1);
		this.proxy.links().forEach(this.proxy::stall);
		this.load.scheduleAtFixedRate(this::publish, 0, 100, TimeUnit.MILLISECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> output.toString().contains(TIMEOUT));
	}

	/**
	 * Tasks the broker never got (the connection black-holed them, then broke) are sent
	 * again ahead of every task handed over after them, whenever in the publisher's turn
	 * the confirm timeout refuses them: the first copy of each reaches the queue in the
	 * order the tasks were handed over, as a key's ordered tasks must.
	 */
	@Test
	void tasksRefusedAtTheTimeoutReachTheQueueAheadOfLaterOnes(CapturedOutput output) throws Exception {
		this.load.scheduleAtFixedRate(this::publish, 0, 1, TimeUnit.MILLISECONDS);
		for (int cycle = 1; cycle <= 3; cycle++) {
			long published = this.publisher.published();
			await().atMost(Duration.ofSeconds(20)).until(() -> this.publisher.published() > published + 100);
			this.proxy.links().forEach(this.proxy::stall);
			int timeouts = cycle;
			await().atMost(Duration.ofSeconds(20)).until(() -> output.toString().split(TIMEOUT, -1).length > timeouts);
			this.proxy.links().forEach(this.proxy::cut);
		}
		this.load.shutdownNow();
		assertThat(this.load.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.publisher.held() == 0);
		List<Long> firstCopies = new ArrayList<>();
		Set<Long> seen = new HashSet<>();
		CachingConnectionFactory direct = new CachingConnectionFactory(RabbitBroker.HOST, RabbitBroker.PORT);
		try (com.rabbitmq.client.Connection connection = direct.getRabbitConnectionFactory().newConnection();
				Channel channel = connection.createChannel()) {
			for (GetResponse response = channel.basicGet(this.queue, true); response != null; response = channel
				.basicGet(this.queue, true)) {
				long id = Long.parseLong(response.getProps().getMessageId());
				if (seen.add(id)) {
					firstCopies.add(id);
				}
			}
		}
		finally {
			direct.destroy();
		}
		List<Long> inOrder = new ArrayList<>();
		for (long id = 1; id <= this.ids.get(); id++) {
			inOrder.add(id);
		}
		assertThat(firstCopies).isEqualTo(inOrder);
	}

	private void publish() {
		long id = this.ids.incrementAndGet();
		long deadline = System.currentTimeMillis() + Duration.ofMinutes(1).toMillis();
		this.publisher.publish(this.queue, id,
				TaskMessages.task(TaskMessages.taskHeaders(id, 0, 0, deadline, "T"), id, "nowhere"), new byte[0],
				deadline);
	}

}
