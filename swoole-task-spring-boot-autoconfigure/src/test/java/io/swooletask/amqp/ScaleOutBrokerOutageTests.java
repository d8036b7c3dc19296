package io.swooletask.amqp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.SwooleServerException;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node of the amqp transport whose broker is away for several reply timeouts while
 * tasks keep coming.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutBrokerOutageTests {

	private static final int CAPACITY = 20;

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	private final ExecutorService dispatcher = Executors.newSingleThreadExecutor();

	@AfterEach
	void stopDispatcher() {
		this.dispatcher.shutdownNow();
	}

	@Test
	void tasksWaitingToBePublishedStayWithinTheCapacityWhileTheBrokerIsAway(CapturedOutput output) throws Exception {
		BrokerProxy proxy = BrokerProxy.start();
		ConfigurableApplicationContext origin = this.nodes.node("origin",
				Map.of("swoole.server.task-worker-num", "0", "spring.rabbitmq.addresses", proxy.address(),
						"swoole.server.amqp.reply-timeout", "1s", "swoole.server.task-queue-capacity",
						Integer.toString(CAPACITY), "swoole.server.task-enqueue-timeout", "100ms",
						"swoole.server.shutdown-timeout", "1s"));
		SwooleServer server = origin.getBean(SwooleServer.class);
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		proxy.close();
		AtomicInteger outgoingPeak = new AtomicInteger();
		AtomicInteger unconfirmedPeak = new AtomicInteger();
		dispatchForThreeReplyTimeouts(server, transport, () -> {
			outgoingPeak.accumulateAndGet(transport.publisherOutgoing(), Math::max);
			unconfirmedPeak.accumulateAndGet(transport.publisherUnconfirmed(), Math::max);
		});
		assertThat(outgoingPeak.get()).as("most tasks waiting to be published").isLessThanOrEqualTo(CAPACITY);
		assertThat(unconfirmedPeak.get()).as("most tasks unconfirmed").isLessThanOrEqualTo(CAPACITY);
		assertThat(transport.counters().awaitingReplies()).as("tasks awaiting their end").isLessThanOrEqualTo(CAPACITY);
		assertThat(output).contains("Cannot publish tasks to queue");
	}

	@Test
	void tasksUnconfirmedStayWithinTheCapacityWhileTheBrokerStalls() throws Exception {
		try (BrokerProxy proxy = BrokerProxy.start()) {
			ConfigurableApplicationContext origin = this.nodes.node("origin",
					Map.of("swoole.server.task-worker-num", "0", "spring.rabbitmq.addresses", proxy.address(),
							"swoole.server.amqp.reply-timeout", "1s", "swoole.server.task-queue-capacity",
							Integer.toString(CAPACITY), "swoole.server.task-enqueue-timeout", "100ms",
							"swoole.server.amqp.confirm-timeout", "30s", "swoole.server.shutdown-timeout", "1s"));
			SwooleServer server = origin.getBean(SwooleServer.class);
			AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
			server.taskAsync(new Job("before the stall", 0));
			await().atMost(Duration.ofSeconds(10)).until(() -> transport.counters().published() == 1);
			proxy.links().forEach(proxy::stall);
			AtomicInteger unconfirmedPeak = new AtomicInteger();
			dispatchForThreeReplyTimeouts(server, transport,
					() -> unconfirmedPeak.accumulateAndGet(transport.publisherUnconfirmed(), Math::max));
			assertThat(unconfirmedPeak.get()).as("most tasks unconfirmed").isLessThanOrEqualTo(CAPACITY);
			proxy.resumeAll();
		}
	}

	/**
	 * Dispatches tasks from a thread of its own, as fast as places free up, until three
	 * times the capacity have timed out, sampling after each.
	 */
	private void dispatchForThreeReplyTimeouts(SwooleServer server, AmqpTaskTransport transport, Runnable sample)
			throws Exception {
		AtomicBoolean dispatching = new AtomicBoolean(true);
		Future<?> load = this.dispatcher.submit(() -> {
			while (dispatching.get()) {
				try {
					server.taskAsync(new Job("unanswered", 0));
				}
				catch (SwooleServerException ex) {
					// no place free within the enqueue timeout
				}
				sample.run();
			}
		});
		await().atMost(Duration.ofSeconds(30)).until(() -> transport.counters().timedOut() >= 3 * CAPACITY);
		dispatching.set(false);
		load.get(10, TimeUnit.SECONDS);
	}

}
