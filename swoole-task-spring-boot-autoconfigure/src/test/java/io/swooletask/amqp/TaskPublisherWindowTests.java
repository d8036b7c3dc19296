package io.swooletask.amqp;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.AmqpConnectException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The window and the sending again of {@link TaskPublisher}, against a stand-in for the
 * broker: channels that record what is published and confirm or refuse it when the test
 * says, so no RabbitMQ is needed.
 */
class TaskPublisherWindowTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final long FAR_DEADLINE = Duration.ofMinutes(10).toMillis();

	private final FakeBroker broker = new FakeBroker();

	/** The ids whose origin awaits them no more. */
	private final Set<Long> notAwaited = ConcurrentHashMap.newKeySet();

	private final TaskPublisher publisher = new TaskPublisher(this.broker.connectionFactory(), "tasks",
			Duration.ofMinutes(10), Duration.ofSeconds(1), (id) -> !this.notAwaited.contains(id));

	@AfterEach
	void stop() {
		this.publisher.stop(new StopDeadline(System.nanoTime() + WAIT.toNanos()));
	}

	@Test
	void publishesUpToTheWindowUnconfirmed() {
		this.publisher.start();
		publishFar(1, TaskPublisher.WINDOW + 1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == TaskPublisher.WINDOW);
		await().during(Duration.ofMillis(300))
			.atMost(WAIT)
			.until(() -> this.broker.published().size() == TaskPublisher.WINDOW);
		assertThat(this.publisher.unconfirmed()).isEqualTo(TaskPublisher.WINDOW);
	}

	@Test
	void confirmGivesItsPlaceInTheWindowToTheNextTask() {
		this.publisher.start();
		publishFar(1, TaskPublisher.WINDOW + 1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == TaskPublisher.WINDOW);
		this.broker.channel().ack(1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == TaskPublisher.WINDOW + 1);
		assertThat(this.broker.published().get(TaskPublisher.WINDOW)).isEqualTo(TaskPublisher.WINDOW + 1L);
		assertThat(this.publisher.published()).isOne();
		assertThat(this.publisher.unconfirmed()).isEqualTo(TaskPublisher.WINDOW);
	}

	@Test
	void refusedTaskIsSentAgain() {
		this.publisher.start();
		publishFar(1, 1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 1);
		this.broker.channel().nack(1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 2);
		assertThat(this.broker.published()).containsExactly(1L, 1L);
		this.broker.channel().ack(2);
		await().atMost(WAIT).until(() -> this.publisher.published() == 1);
		assertThat(this.publisher.republished()).isOne();
		assertThat(this.publisher.held()).isZero();
	}

	@Test
	void refusedTaskItsOriginAwaitsNoMoreIsNotSentAgain() {
		this.publisher.start();
		publishFar(1, 1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 1);
		this.notAwaited.add(1L);
		this.broker.channel().nack(1);
		assertThat(this.publisher.settled()).isOne();
		assertThat(this.publisher.held()).isZero();
		assertThat(this.broker.published()).containsExactly(1L);
	}

	@Test
	void refusedTaskPastItsDeadlineIsNotSentAgain() {
		this.publisher.start();
		long deadline = System.currentTimeMillis() + 2000;
		publish(1, deadline);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 1);
		await().atMost(WAIT).until(() -> System.currentTimeMillis() > deadline + 1);
		this.broker.channel().nack(1);
		assertThat(this.publisher.expired()).isOne();
		assertThat(this.publisher.held()).isZero();
		assertThat(this.broker.published()).containsExactly(1L);
	}

	@Test
	void unconfirmedTasksAreSentAgainOnANewChannelWhenTheirChannelCloses() {
		this.publisher.start();
		publishFar(1, 2);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 2);
		FakeChannel first = this.broker.channel();
		first.closeByBroker();
		await().atMost(WAIT).until(() -> this.broker.published().size() == 4);
		assertThat(this.broker.channel()).isNotSameAs(first);
		assertThat(this.broker.channel().published).containsExactlyInAnyOrder(1L, 2L);
	}

	@Test
	void discardDropsUnconfirmedTasksAndGivesTheirPlacesBack() {
		this.publisher.start();
		publishFar(1, 2);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 2);
		this.publisher.discard(Set.of(1L, 2L));
		assertThat(this.publisher.unconfirmed()).isZero();
		assertThat(this.publisher.held()).isZero();
		assertThat(this.publisher.expired()).isEqualTo(2);
		this.broker.channel().closeByBroker();
		publishFar(3, 1);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 3);
		assertThat(this.broker.published()).containsExactly(1L, 2L, 3L);
	}

	@Test
	void discardDropsTasksWaitingToBePublished() {
		this.broker.away.set(true);
		this.publisher.start();
		publishFar(1, 3);
		await().atMost(WAIT).until(() -> this.broker.connectionAttempts.get() > 0);
		this.publisher.discard(Set.of(2L, 3L));
		assertThat(this.publisher.outgoing()).isZero();
		assertThat(this.publisher.expired()).isEqualTo(2);
	}

	@Test
	void heldCountsTasksWaitingToBePublished() {
		this.broker.away.set(true);
		publishFar(1, 3);
		assertThat(this.publisher.held()).isEqualTo(3);
		assertThat(this.publisher.outgoing()).isEqualTo(3);
	}

	@Test
	void heldCountsTasksPublishedAndUnconfirmed() {
		this.publisher.start();
		publishFar(1, 3);
		await().atMost(WAIT).until(() -> this.broker.published().size() == 3);
		assertThat(this.publisher.held()).isEqualTo(3);
		this.broker.channel().ack(2);
		assertThat(this.publisher.held()).isEqualTo(2);
	}

	private void publishFar(long firstId, int count) {
		for (long id = firstId; id < firstId + count; id++) {
			publish(id, System.currentTimeMillis() + FAR_DEADLINE);
		}
	}

	private void publish(long id, long deadlineMillis) {
		this.publisher.publish("tasks", id, new AMQP.BasicProperties.Builder().build(),
				Long.toString(id).getBytes(StandardCharsets.UTF_8), deadlineMillis);
	}

	/**
	 * A broker as the publisher sees it: a connection factory whose channels record the
	 * ids published on them, and confirm, refuse or close when the test says.
	 */
	private static final class FakeBroker {

		final AtomicBoolean away = new AtomicBoolean();

		final AtomicInteger connectionAttempts = new AtomicInteger();

		final List<FakeChannel> channels = new CopyOnWriteArrayList<>();

		ConnectionFactory connectionFactory() {
			Connection connection = proxy(Connection.class, (method, args) -> switch (method.getName()) {
				case "createChannel" -> {
					FakeChannel channel = new FakeChannel();
					this.channels.add(channel);
					yield channel.proxy;
				}
				case "isOpen" -> true;
				default -> null;
			});
			return proxy(ConnectionFactory.class, (method, args) -> {
				if (method.getName().equals("createConnection")) {
					this.connectionAttempts.incrementAndGet();
					if (this.away.get()) {
						throw new AmqpConnectException(new java.net.ConnectException("the broker is away"));
					}
					return connection;
				}
				return null;
			});
		}

		/** The channel published on last. */
		FakeChannel channel() {
			return this.channels.get(this.channels.size() - 1);
		}

		/** The ids published, on every channel, in order. */
		List<Long> published() {
			return this.channels.stream().flatMap((channel) -> channel.published.stream()).toList();
		}

	}

	private static final class FakeChannel {

		final Channel proxy;

		final List<Long> published = new CopyOnWriteArrayList<>();

		private final AtomicLong nextSequence = new AtomicLong();

		private final List<ConfirmListener> confirmListeners = new CopyOnWriteArrayList<>();

		private final List<ShutdownListener> shutdownListeners = new CopyOnWriteArrayList<>();

		private volatile boolean open = true;

		FakeChannel() {
			this.proxy = proxy(Channel.class, (method, args) -> switch (method.getName()) {
				case "confirmSelect" -> {
					this.nextSequence.set(1);
					yield null;
				}
				case "getNextPublishSeqNo" -> this.nextSequence.get();
				case "basicPublish" -> {
					this.nextSequence.incrementAndGet();
					this.published
						.add(Long.parseLong(new String((byte[]) args[args.length - 1], StandardCharsets.UTF_8)));
					yield null;
				}
				case "addConfirmListener" -> {
					this.confirmListeners.add((ConfirmListener) args[0]);
					yield null;
				}
				case "addShutdownListener" -> {
					this.shutdownListeners.add((ShutdownListener) args[0]);
					yield null;
				}
				case "isOpen" -> this.open;
				case "abort", "close" -> {
					this.open = false;
					yield null;
				}
				default -> null;
			});
		}

		void ack(long sequence) {
			for (ConfirmListener listener : this.confirmListeners) {
				try {
					listener.handleAck(sequence, false);
				}
				catch (java.io.IOException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}

		void nack(long sequence) {
			for (ConfirmListener listener : this.confirmListeners) {
				try {
					listener.handleNack(sequence, false);
				}
				catch (java.io.IOException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}

		void closeByBroker() {
			this.open = false;
			ShutdownSignalException cause = new ShutdownSignalException(false, false, null, this.proxy);
			this.shutdownListeners.forEach((listener) -> listener.shutdownCompleted(cause));
		}

	}

	private interface Answer {

		Object answer(Method method, Object[] args) throws Throwable;

	}

	@SuppressWarnings("unchecked")
	private static <T> T proxy(Class<T> type, Answer answer) {
		InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
			case "equals" -> proxy == args[0];
			case "hashCode" -> System.identityHashCode(proxy);
			case "toString" -> type.getSimpleName() + " stand-in";
			default -> {
				Object result = answer.answer(method, args);
				yield (result != null || !method.getReturnType().isPrimitive()) ? result
						: defaultValue(method.getReturnType());
			}
		};
		return (T) Proxy.newProxyInstance(TaskPublisherWindowTests.class.getClassLoader(), new Class<?>[] { type },
				handler);
	}

	private static Object defaultValue(Class<?> type) {
		if (type == boolean.class) {
			return false;
		}
		if (type == long.class) {
			return 0L;
		}
		if (type == int.class) {
			return 0;
		}
		return null;
	}

}
