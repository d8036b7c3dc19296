package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishes tasks to the work queue from a thread of its own, so that an event loop never waits for
 * the broker. It sends in batches and waits for the broker's confirms; a batch that is not confirmed,
 * because the connection dropped or the broker refused it, is sent again once the broker is back, so a
 * task accepted by {@code task()} is never dropped here. (Sent twice, a task may run twice; its origin
 * keeps one of each finish event.) While the broker is away, tasks wait here, bounded by the task
 * capacity.
 */
final class TaskPublisher {

	private static final Log logger = LogFactory.getLog(TaskPublisher.class);

	private static final int BATCH = 256;

	private static final long MAX_BACKOFF_MILLIS = 5000;

	private final ConnectionFactory connectionFactory;

	private final String queue;

	private final long confirmTimeoutMillis;

	private final BlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();

	private final LongAdder published = new LongAdder();

	private final LongAdder republished = new LongAdder();

	private volatile boolean running;

	private volatile boolean connected;

	private Thread thread;

	private Channel channel;

	TaskPublisher(ConnectionFactory connectionFactory, String queue, Duration confirmTimeout) {
		this.connectionFactory = connectionFactory;
		this.queue = queue;
		this.confirmTimeoutMillis = confirmTimeout.toMillis();
	}

	void start() {
		this.running = true;
		this.thread = new Thread(this::run, "swoole-task-publisher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	void publish(AMQP.BasicProperties properties, byte[] body) {
		this.outgoing.add(new Outgoing(properties, body));
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

	boolean isConnected() {
		return this.connected;
	}

	long published() {
		return this.published.sum();
	}

	long republished() {
		return this.republished.sum();
	}

	private void run() {
		List<Outgoing> batch = new ArrayList<>(BATCH);
		long backoffMillis = 100;
		boolean retrying = false;
		while (this.running) {
			try {
				if (batch.isEmpty()) {
					Outgoing first = this.outgoing.poll(1, TimeUnit.SECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					this.outgoing.drainTo(batch, BATCH - 1);
				}
				send(batch);
				this.published.add(batch.size());
				if (retrying) {
					this.republished.add(batch.size());
					retrying = false;
				}
				batch.clear();
				this.connected = true;
				backoffMillis = 100;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (Exception ex) {
				if (this.connected || backoffMillis == 100) {
					logger.warn("Cannot publish " + batch.size() + " tasks to queue '" + this.queue
							+ "', sending them again once the broker confirms (" + ex + ")");
				}
				this.connected = false;
				retrying = true;
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

	private void send(List<Outgoing> batch) throws Exception {
		Channel channel = channel();
		for (Outgoing message : batch) {
			channel.basicPublish("", this.queue, false, message.properties(), message.body());
		}
		channel.waitForConfirmsOrDie(this.confirmTimeoutMillis);
	}

	private Channel channel() throws Exception {
		if (this.channel == null || !this.channel.isOpen()) {
			Channel channel = this.connectionFactory.createConnection().createChannel(false);
			channel.confirmSelect();
			this.channel = channel;
		}
		return this.channel;
	}

	private void closeChannel() {
		Channel channel = this.channel;
		this.channel = null;
		if (channel != null && channel.isOpen()) {
			try {
				channel.close();
			}
			catch (Exception ex) {
				logger.debug("Closing the publisher channel failed", ex);
			}
		}
	}

	private record Outgoing(AMQP.BasicProperties properties, byte[] body) {
	}

}
