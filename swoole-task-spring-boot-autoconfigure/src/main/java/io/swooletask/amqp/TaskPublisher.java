package io.swooletask.amqp;

import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.util.Assert;

/**
 * Publishes tasks to the work queue from a thread of its own, so that an event loop never
 * waits for the broker. It does not wait for the broker's confirms either: up to
 * {@value #WINDOW} tasks may be unconfirmed at a time, and the confirms come in on the
 * connection's thread. A task the broker refuses, or that is still unconfirmed when its
 * channel closes or after {@code confirm-timeout}, is sent again once the broker is back,
 * so a task accepted by {@code task()} is never dropped here. (Sent twice, a task may run
 * twice; its origin keeps one of each finish event.) While the broker is away, tasks wait
 * here, bounded by the task capacity. Each task is published with what is left of its
 * reply timeout as its message TTL, plus how late its origin may notice the timeout, so
 * that its origin times it out before the broker drops it; a task past its deadline is
 * dropped here, unsent.
 */
final class TaskPublisher {

	private static final Log logger = LogFactory.getLog(TaskPublisher.class);

	static final int WINDOW = 1024;

	private static final long MAX_BACKOFF_MILLIS = 5000;

	private final ConnectionFactory connectionFactory;

	private final String queue;

	private final long confirmTimeoutNanos;

	private final BlockingDeque<Outgoing> outgoing = new LinkedBlockingDeque<>();

	/**
	 * The tasks to send again, in the order they were first handed over: each goes before
	 * any task handed over after it, so that the tasks of one queue keep their order
	 * there, as a key's ordered tasks must, however channels fail.
	 */
	private final PriorityBlockingQueue<Outgoing> again = new PriorityBlockingQueue<>(64,
			Comparator.comparingLong(Outgoing::order));

	/** Numbers the tasks in the order they are handed over. */
	private final AtomicLong orders = new AtomicLong();

	private final Semaphore window = new Semaphore(WINDOW);

	private final LongAdder published = new LongAdder();

	private final LongAdder republished = new LongAdder();

	private final LongAdder expired = new LongAdder();

	/**
	 * Tasks not sent again because their origin awaits them no more: their end came back,
	 * or they timed out.
	 */
	private final LongAdder settled = new LongAdder();

	private final long ttlMarginMillis;

	private final LongPredicate awaited;

	private volatile boolean running;

	private volatile boolean connected;

	private @Nullable Thread thread;

	private final UnconfirmedTasks.Outcome<Outgoing> outcome = new UnconfirmedTasks.Outcome<>() {

		@Override
		public void confirmed(Outgoing task) {
			TaskPublisher.this.published.increment();
			if (task.again()) {
				TaskPublisher.this.republished.increment();
			}
			TaskPublisher.this.connected = true;
			TaskPublisher.this.window.release();
		}

		/**
		 * Queues a refused task to be sent again, unless its origin has given up on it or
		 * has its end already (the broker had it, and it ran): either way its origin gave
		 * its queue place back, and a copy held here would take a place no more. A task
		 * refused as {@link #discard} runs may be in neither place it looks. The origin's
		 * deadline counts from the same instant, in nanoseconds; these milliseconds may
		 * lag it by one.
		 */
		@Override
		public void refused(Outgoing task) {
			TaskPublisher.this.window.release();
			if (task.remainingMillis() <= 1) {
				TaskPublisher.this.expired.increment();
				return;
			}
			if (!TaskPublisher.this.awaited.test(task.id())) {
				TaskPublisher.this.settled.increment();
				return;
			}
			TaskPublisher.this.again.add(new Outgoing(task.order(), task.queue(), task.id(), task.properties(),
					task.body(), true, task.deadlineMillis()));
		}

		@Override
		public void abandoned(Outgoing task) {
			TaskPublisher.this.expired.increment();
			TaskPublisher.this.window.release();
		}

	};

	private @Nullable Channel proxy;

	private @Nullable Channel channel;

	private volatile @Nullable UnconfirmedTasks<Outgoing> unconfirmed;

	/**
	 * Creates a publisher.
	 * @param connectionFactory the broker
	 * @param queue the work queue, which the log lines name
	 * @param confirmTimeout how long a confirm may take
	 * @param ttlMargin how late the origin may notice a reply timeout
	 * @param awaited whether the origin still awaits the end of a task, by id: a task
	 * whose end has arrived (it ran, and its copy here was about to be sent again) or
	 * that timed out is not sent again
	 */
	TaskPublisher(ConnectionFactory connectionFactory, String queue, Duration confirmTimeout, Duration ttlMargin,
			LongPredicate awaited) {
		this.awaited = awaited;
		this.connectionFactory = connectionFactory;
		this.queue = queue;
		this.confirmTimeoutNanos = confirmTimeout.toNanos();
		this.ttlMarginMillis = ttlMargin.toMillis();
	}

	void start() {
		this.running = true;
		this.thread = new Thread(this::run, "swoole-task-publisher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Publishes a task, unless its origin gives up on it first.
	 * @param queue the queue it goes to: the work queue, or a partition of the ordered
	 * tasks
	 * @param id its id
	 * @param properties its message properties
	 * @param body its data
	 * @param deadlineMillis when its origin gives up on it, in epoch milliseconds
	 */
	void publish(String queue, long id, AMQP.BasicProperties properties, byte[] body, long deadlineMillis) {
		this.outgoing
			.add(new Outgoing(this.orders.incrementAndGet(), queue, id, properties, body, false, deadlineMillis));
	}

	/**
	 * Drops the tasks not yet published or not yet confirmed whose origin gave up on
	 * them, so that what is held here while the broker is away or stalls stays within the
	 * places of the tasks still awaited.
	 * @param ids the ids of those tasks
	 */
	void discard(Set<Long> ids) {
		Predicate<Outgoing> discarded = (task) -> {
			boolean given = ids.contains(task.id());
			if (given) {
				this.expired.increment();
			}
			return given;
		};
		this.again.removeIf(discarded);
		this.outgoing.removeIf(discarded);
		UnconfirmedTasks<Outgoing> unconfirmed = this.unconfirmed;
		if (unconfirmed != null) {
			unconfirmed.abandon((task) -> ids.contains(task.id()));
		}
	}

	/**
	 * Stops publishing; tasks not yet confirmed stay unsent.
	 * @param deadline how long to wait for the publishing thread to end
	 */
	void stop(StopDeadline deadline) {
		this.running = false;
		Thread thread = this.thread;
		if (thread != null) {
			thread.interrupt();
			try {
				TimeUnit.NANOSECONDS.timedJoin(thread, deadline.remainingNanos());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	long published() {
		return this.published.sum();
	}

	long republished() {
		return this.republished.sum();
	}

	long expired() {
		return this.expired.sum();
	}

	long settled() {
		return this.settled.sum();
	}

	/**
	 * The tasks held here: waiting to be published, or published and not yet confirmed.
	 */
	int held() {
		return outgoing() + WINDOW - this.window.availablePermits();
	}

	/**
	 * The tasks waiting to be published.
	 */
	int outgoing() {
		return this.again.size() + this.outgoing.size();
	}

	/**
	 * The tasks published on the current channel and not yet confirmed.
	 */
	int unconfirmed() {
		UnconfirmedTasks<Outgoing> unconfirmed = this.unconfirmed;
		return (unconfirmed != null) ? unconfirmed.size() : 0;
	}

	private void run() {
		long backoffMillis = 100;
		Outgoing next = null;
		while (this.running) {
			try {
				if (next != null && behind(next)) {
					putBack(next);
					next = null;
				}
				if (next == null) {
					next = this.again.poll();
				}
				if (next == null) {
					next = this.outgoing.poll(1, TimeUnit.SECONDS);
				}
				if (next != null && next.remainingMillis() <= 1) {
					this.expired.increment();
					next = null;
				}
				if (next != null && next.again() && !this.awaited.test(next.id())) {
					this.settled.increment();
					next = null;
				}
				checkConfirmsArrive();
				if (next == null || !this.window.tryAcquire(1, TimeUnit.SECONDS)) {
					continue;
				}
				if (next.remainingMillis() <= 1) {
					// expired while it waited for a place in the window: its origin may
					// have given up on it
					this.expired.increment();
					this.window.release();
					next = null;
					continue;
				}
				Channel channel = channelInWindow();
				if (behind(next)) {
					// the channel's failure or a confirm timeout refused earlier tasks
					this.window.release();
					putBack(next);
					next = null;
					continue;
				}
				Outgoing message = next;
				next = null;
				send(channel, message);
				backoffMillis = 100;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (Exception ex) {
				if (this.connected || backoffMillis == 100) {
					logger.warn("Cannot publish tasks to queue '" + this.queue
							+ "', sending them again once the broker confirms (" + ex + ")");
				}
				this.connected = false;
				closeChannel();
				try {
					Thread.sleep(backoffMillis);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					break;
				}
				backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
			}
		}
		closeChannel();
	}

	/**
	 * The channel to publish on; without one, the place taken in the window is given back
	 * and the task stays with the caller, to be sent again.
	 */
	private Channel channelInWindow() throws Exception {
		try {
			return channel();
		}
		catch (Exception ex) {
			this.window.release();
			throw ex;
		}
	}

	/**
	 * Whether a task refused since was handed over before this one, and so goes first.
	 */
	private boolean behind(Outgoing task) {
		Outgoing first = this.again.peek();
		return first != null && first.order() < task.order();
	}

	private void putBack(Outgoing task) {
		if (task.again()) {
			this.again.add(task);
		}
		else {
			this.outgoing.addFirst(task);
		}
	}

	/**
	 * Publishes a task that holds a place in the window. From then on it is among the
	 * unconfirmed ones of its channel, which are sent again if the publish fails or the
	 * channel closes.
	 */
	private void send(Channel channel, Outgoing message) throws Exception {
		AMQP.BasicProperties properties = message.properties()
			.builder()
			.expiration(Long.toString(Math.max(0, message.remainingMillis()) + this.ttlMarginMillis))
			.build();
		UnconfirmedTasks<Outgoing> unconfirmed = this.unconfirmed;
		Assert.state(unconfirmed != null, "A channel to publish on is in confirm mode");
		long sequence = channel.getNextPublishSeqNo();
		unconfirmed.add(sequence, message);
		if (sequence == 0) {
			throw new IOException("The publisher channel is not in confirm mode");
		}
		channel.basicPublish("", message.queue(), false, properties, message.body());
	}

	/**
	 * Sends again what the broker has not confirmed within the confirm timeout, on a new
	 * channel.
	 */
	private void checkConfirmsArrive() {
		UnconfirmedTasks<Outgoing> unconfirmed = this.unconfirmed;
		if (unconfirmed != null && unconfirmed.oldestAgeNanos() > this.confirmTimeoutNanos) {
			logger.warn("The broker has not confirmed tasks published to queue '" + this.queue + "' within "
					+ Duration.ofNanos(this.confirmTimeoutNanos)
					+ " (swoole.server.amqp.confirm-timeout); sending them again on a new channel");
			this.connected = false;
			closeChannel();
		}
	}

	/**
	 * The real channel behind the cached channel proxy, since the proxy would replace a
	 * closed channel with one outside confirm mode and without the publisher's listeners.
	 */
	private Channel channel() throws Exception {
		if (this.channel == null || !this.channel.isOpen()) {
			closeChannel();
			Channel proxy = this.connectionFactory.createConnection().createChannel(false);
			this.proxy = proxy;
			this.channel = (proxy instanceof ChannelProxy cached) ? cached.getTargetChannel() : proxy;
			UnconfirmedTasks<Outgoing> unconfirmed = new UnconfirmedTasks<>(this.outcome);
			this.channel.addConfirmListener(unconfirmed);
			this.channel.addShutdownListener((cause) -> unconfirmed.sendAgain());
			this.channel.confirmSelect();
			this.unconfirmed = unconfirmed;
		}
		return this.channel;
	}

	private void closeChannel() {
		Channel proxy = this.proxy;
		UnconfirmedTasks<Outgoing> unconfirmed = this.unconfirmed;
		this.proxy = null;
		this.channel = null;
		this.unconfirmed = null;
		if (proxy != null) {
			ClosedChannels.closeForGood(proxy, "the task publisher");
		}
		if (unconfirmed != null) {
			unconfirmed.sendAgain();
		}
	}

	/**
	 * A task to publish.
	 *
	 * @param order when it was handed over, among the tasks of this publisher
	 * @param queue the queue it goes to
	 * @param id its id
	 * @param properties its message properties
	 * @param body its data
	 * @param again whether it was sent before, unconfirmed
	 * @param deadlineMillis when its origin gives up on it, in epoch milliseconds
	 */
	private record Outgoing(long order, String queue, long id, AMQP.BasicProperties properties, byte[] body,
			boolean again, long deadlineMillis) {

		long remainingMillis() {
			return this.deadlineMillis - System.currentTimeMillis();
		}

	}

}
