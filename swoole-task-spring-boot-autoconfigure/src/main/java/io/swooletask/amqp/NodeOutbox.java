package io.swooletask.amqp;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Sends the writes of this node to the connections of other nodes, from a thread of its
 * own, so that neither an event loop nor a task worker waits for the broker: a
 * {@code broadcast} to the fanout exchange, and a {@code send} or {@code close} of a
 * connection to the node queue of the node that owns it. They leave in the order they
 * were handed over, so that the writes of one thread reach each node in that order.
 * <p>
 * Up to {@value #CAPACITY} writes wait here while the broker is away; they are sent once
 * it is back, and further ones are refused. Writes to a connection are published
 * mandatory: the broker gives back one whose node queue is gone, and its node is known
 * gone for {@value #GONE_MILLIS} ms, in which writes to it are refused at once. A write
 * on the socket to the broker when the connection to it breaks may be lost: there are no
 * publisher confirms, as there are none for a write to a local socket either.
 */
final class NodeOutbox {

	private static final Log logger = LogFactory.getLog(NodeOutbox.class);

	static final int CAPACITY = 65_536;

	static final long GONE_MILLIS = 60_000;

	private static final long MAX_BACKOFF_MILLIS = 1_000;

	private final ConnectionFactory connectionFactory;

	private final AmqpTopology topology;

	private final BlockingQueue<Outgoing> outgoing = new ArrayBlockingQueue<>(CAPACITY);

	/** When a write to a node queue was last given back, by queue. */
	private final Map<String, Long> gone = new ConcurrentHashMap<>();

	/** The writes taken and not yet sent or dropped. */
	private final AtomicInteger pending = new AtomicInteger();

	private final LongAdder refused = new LongAdder();

	private final LongAdder returned = new LongAdder();

	private final Thread thread;

	private volatile boolean closed;

	private volatile boolean stopped;

	private @Nullable Channel channel;

	NodeOutbox(ConnectionFactory connectionFactory, AmqpTopology topology) {
		this.connectionFactory = connectionFactory;
		this.topology = topology;
		this.thread = new Thread(this::run, "swoole-node-outbox");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Hands a broadcast over for every node that serves clients, this one among them.
	 * @return whether it was taken: not once this node stops, nor while
	 * {@value #CAPACITY} writes wait for the broker
	 */
	boolean broadcast(byte[] data) {
		return offer(new Outgoing(this.topology.broadcastExchange(), "", NodeMessages.broadcast(), data, false));
	}

	/**
	 * Hands a write to a connection of another node over.
	 * @return whether it was taken: not when the node is known gone, once this node
	 * stops, nor while {@value #CAPACITY} writes wait for the broker
	 */
	boolean send(String node, long fd, byte[] data) {
		return toConnection(node, NodeMessages.Kind.SEND, fd, data);
	}

	/**
	 * Hands the close of a connection of another node over.
	 * @return whether it was taken, as for {@link #send}
	 */
	boolean close(String node, long fd) {
		return toConnection(node, NodeMessages.Kind.CLOSE, fd, new byte[0]);
	}

	private boolean toConnection(String node, NodeMessages.Kind kind, long fd, byte[] data) {
		if (isGone(node)) {
			return false;
		}
		return offer(new Outgoing("", this.topology.nodeQueue(node), NodeMessages.toConnection(kind, fd), data, true));
	}

	/**
	 * Whether a node is known gone: the broker gave back a write to its node queue
	 * lately.
	 */
	boolean isGone(String node) {
		Long since = this.gone.get(this.topology.nodeQueue(node));
		return since != null && System.currentTimeMillis() - since < GONE_MILLIS;
	}

	private boolean offer(Outgoing message) {
		if (!this.closed && this.outgoing.offer(message)) {
			this.pending.incrementAndGet();
			return true;
		}
		this.refused.increment();
		return false;
	}

	/**
	 * Takes no more writes and sends those waiting until the deadline; what is left then
	 * is dropped, with a log line that counts it.
	 */
	void stop(StopDeadline deadline) {
		this.closed = true;
		try {
			while (this.pending.get() > 0 && deadline.remainingNanos() > 0) {
				Thread.sleep(Math.min(10, Math.max(1, deadline.remainingMillis())));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.stopped = true;
		this.thread.interrupt();
		int left = this.pending.get();
		if (left > 0) {
			this.refused.add(left);
			logger.warn(left + " writes to the connections of other nodes were not sent: the broker did not take"
					+ " them before swoole.server.shutdown-timeout");
		}
	}

	long refused() {
		return this.refused.sum();
	}

	long returned() {
		return this.returned.sum();
	}

	int waiting() {
		return this.pending.get();
	}

	private void run() {
		long backoffMillis = 100;
		Outgoing next = null;
		while (!this.stopped) {
			try {
				if (next == null) {
					next = this.outgoing.poll(1, TimeUnit.SECONDS);
					if (next == null) {
						continue;
					}
				}
				channel().basicPublish(next.exchange(), next.routingKey(), next.mandatory(), next.properties(),
						next.body());
				next = null;
				this.pending.decrementAndGet();
				backoffMillis = 100;
			}
			catch (InterruptedException ex) {
				break;
			}
			catch (Exception ex) {
				if (backoffMillis == 100) {
					logger.warn("Cannot send writes to the connections of other nodes; they wait, " + this.pending.get()
							+ " now, until the broker is back (" + ex + ")");
				}
				closeChannel();
				try {
					Thread.sleep(backoffMillis);
				}
				catch (InterruptedException interrupted) {
					break;
				}
				backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
			}
		}
		closeChannel();
	}

	private Channel channel() {
		Channel proxy = this.channel;
		if (proxy == null || !proxy.isOpen()) {
			closeChannel();
			proxy = this.connectionFactory.createConnection().createChannel(false);
			proxy.addReturnListener((returned) -> nodeGone(returned.getRoutingKey()));
			this.channel = proxy;
		}
		return proxy;
	}

	private void nodeGone(String nodeQueue) {
		this.returned.increment();
		long now = System.currentTimeMillis();
		this.gone.values().removeIf((since) -> now - since >= GONE_MILLIS);
		this.gone.put(nodeQueue, now);
	}

	/**
	 * Closes the channel for good, so that the connection's cache does not hand it to
	 * another user with its return listener.
	 */
	private void closeChannel() {
		Channel proxy = this.channel;
		this.channel = null;
		if (proxy == null) {
			return;
		}
		try {
			Channel target = (proxy instanceof ChannelProxy cached) ? cached.getTargetChannel() : proxy;
			if (target.isOpen()) {
				target.abort();
			}
			proxy.close();
		}
		catch (Exception ex) {
			logger.debug("Closing the outbox channel failed", ex);
		}
	}

	private record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			boolean mandatory) {

	}

}
