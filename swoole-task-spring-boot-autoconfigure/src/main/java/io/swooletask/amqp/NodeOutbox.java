package io.swooletask.amqp;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
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
 * A write larger than {@code buffer-output-size} is refused at once, as every node would
 * refuse it. Up to {@value #MAX_WAITING_BYTES} bytes of writes wait here while the broker
 * is away; they are sent once it is back, and further ones are refused. Writes to a
 * connection are published mandatory: the broker gives back one whose node queue is gone,
 * and its node is known gone for {@value #GONE_MILLIS} ms, in which writes to it are
 * refused at once. A write on the socket to the broker when the connection to it breaks
 * may be lost: there are no publisher confirms, as there are none for a write to a local
 * socket either; a channel the broker closes is logged.
 */
final class NodeOutbox {

	private static final Log logger = LogFactory.getLog(NodeOutbox.class);

	static final long MAX_WAITING_BYTES = 64L * 1024 * 1024;

	static final long GONE_MILLIS = 10_000;

	/**
	 * What a waiting write costs besides its bytes: its properties, headers and entry.
	 */
	private static final int OVERHEAD_BYTES = 512;

	private static final long MAX_BACKOFF_MILLIS = 1_000;

	/** Opens a channel to the broker, through the cache's proxy. */
	private final Supplier<Channel> channels;

	private final AmqpTopology topology;

	private final int maxWriteBytes;

	private final LinkedBlockingQueue<Outgoing> outgoing = new LinkedBlockingQueue<>();

	/** When a write to a node queue was last given back, by queue. */
	private final Map<String, Long> gone = new ConcurrentHashMap<>();

	/** The bytes of the writes taken and not yet sent or dropped. */
	private final AtomicLong waitingBytes = new AtomicLong();

	/** The writes taken and not yet sent or dropped. */
	private final AtomicInteger waiting = new AtomicInteger();

	/** The writes taken since the start. */
	private final AtomicLong taken = new AtomicLong();

	/** The writes sent or dropped since the start, in the order they were taken. */
	private final AtomicLong done = new AtomicLong();

	private final LongAdder refused = new LongAdder();

	private final LongAdder returned = new LongAdder();

	private final Thread thread;

	/** Guarded by this: no write is taken once it is set. */
	private boolean closed;

	private volatile boolean stopped;

	private @Nullable Channel channel;

	private @Nullable Channel target;

	/**
	 * Creates the outbox of a node.
	 * @param connectionFactory the broker
	 * @param topology where the writes go
	 * @param maxWriteBytes the largest write, {@code buffer-output-size}
	 */
	NodeOutbox(ConnectionFactory connectionFactory, AmqpTopology topology, int maxWriteBytes) {
		this(() -> connectionFactory.createConnection().createChannel(false), topology, maxWriteBytes);
	}

	/**
	 * Creates the outbox of a node.
	 * @param channels opens a channel to the broker
	 * @param topology where the writes go
	 * @param maxWriteBytes the largest write, {@code buffer-output-size}
	 */
	NodeOutbox(Supplier<Channel> channels, AmqpTopology topology, int maxWriteBytes) {
		this.channels = channels;
		this.topology = topology;
		this.maxWriteBytes = maxWriteBytes;
		this.thread = new Thread(this::run, "swoole-node-outbox");
		this.thread.setDaemon(true);
	}

	void start() {
		this.thread.start();
	}

	/**
	 * Hands a broadcast over for every node that serves clients, this one among them.
	 * @throws IllegalStateException naming the reason if it is refused: larger than
	 * {@code buffer-output-size}, this node stops, or too many writes wait for the broker
	 */
	void broadcast(byte[] data) {
		String refusal = refusal(data);
		if (refusal == null
				&& offer(new Outgoing(this.topology.broadcastExchange(), "", NodeMessages.broadcast(), data, false))) {
			return;
		}
		this.refused.increment();
		throw new IllegalStateException("The broadcast of " + data.length + " bytes was not sent: "
				+ ((refusal != null) ? refusal : "this node is stopping"));
	}

	/**
	 * Hands a write to a connection of another node over.
	 * @return whether it was taken: not when the node is known gone, when it is larger
	 * than {@code buffer-output-size}, once this node stops, nor while too many writes
	 * wait for the broker
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
		if (!isGone(node) && refusal(data) == null && offer(
				new Outgoing("", this.topology.nodeQueue(node), NodeMessages.toConnection(kind, fd), data, true))) {
			return true;
		}
		this.refused.increment();
		return false;
	}

	/**
	 * Whether a node is known gone: the broker gave back a write to its node queue
	 * lately.
	 */
	boolean isGone(String node) {
		Long since = this.gone.get(this.topology.nodeQueue(node));
		return since != null && System.currentTimeMillis() - since < GONE_MILLIS;
	}

	private @Nullable String refusal(byte[] data) {
		if (data.length > this.maxWriteBytes) {
			return "it is larger than " + this.maxWriteBytes + " bytes (swoole.server.buffer-output-size), which"
					+ " every connection refuses";
		}
		if (this.waitingBytes.get() + cost(data) > MAX_WAITING_BYTES) {
			return MAX_WAITING_BYTES + " bytes of writes to other nodes wait for the broker already";
		}
		return null;
	}

	private synchronized boolean offer(Outgoing message) {
		if (this.closed || refusal(message.body()) != null) {
			return false;
		}
		this.waiting.incrementAndGet();
		this.waitingBytes.addAndGet(cost(message.body()));
		this.taken.incrementAndGet();
		this.outgoing.add(message);
		return true;
	}

	/**
	 * What a write costs while it waits: its bytes and what holds them.
	 */
	private static long cost(byte[] data) {
		return data.length + OVERHEAD_BYTES;
	}

	/**
	 * How many writes were taken since the start.
	 * @return the count, to compare with {@link #isSentUpTo}
	 */
	long taken() {
		return this.taken.get();
	}

	/**
	 * Whether the writes taken up to a count have been sent or dropped.
	 * @param taken a count {@link #taken()} returned
	 * @return whether all of those have left
	 */
	boolean isSentUpTo(long taken) {
		return this.done.get() >= taken;
	}

	/**
	 * Takes no more writes and sends those waiting until the deadline; what is left then
	 * is dropped, with a log line that counts it. Once stopped, it stops at once.
	 */
	void stop(StopDeadline deadline) {
		synchronized (this) {
			this.closed = true;
		}
		try {
			while (this.waiting.get() > 0 && deadline.remainingNanos() > 0) {
				Thread.sleep(Math.min(10, Math.max(1, deadline.remainingMillis())));
			}
			this.stopped = true;
			this.thread.interrupt();
			this.thread.join(Math.max(1, deadline.remainingMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.outgoing.clear();
		int left = this.waiting.getAndSet(0);
		this.done.set(this.taken.get());
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

	/**
	 * The writes waiting to be sent, the one being sent among them.
	 */
	int waiting() {
		return this.waiting.get();
	}

	/**
	 * Sends the writes in order; one that cannot be published is tried again until the
	 * broker is back, before those after it.
	 */
	private void run() {
		long backoffMillis = 100;
		Outgoing next = null;
		while (!this.stopped) {
			try {
				if (next == null) {
					next = this.outgoing.poll(100, TimeUnit.MILLISECONDS);
					if (next == null) {
						continue;
					}
				}
				channel().basicPublish(next.exchange(), next.routingKey(), next.mandatory(), next.properties(),
						next.body());
				this.waitingBytes.addAndGet(-cost(next.body()));
				this.waiting.updateAndGet((waiting) -> Math.max(0, waiting - 1));
				this.done.incrementAndGet();
				next = null;
				backoffMillis = 100;
			}
			catch (InterruptedException ex) {
				break;
			}
			catch (Exception ex) {
				if (backoffMillis == 100) {
					logger.warn("Cannot send writes to the connections of other nodes; they wait, " + this.waiting.get()
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

	/**
	 * The channel to publish on: the one under the cache's proxy, which fails once closed
	 * instead of opening another without this outbox's listeners.
	 */
	private Channel channel() {
		Channel target = this.target;
		if (target == null || !target.isOpen()) {
			closeChannel();
			Channel proxy = this.channels.get();
			target = (proxy instanceof ChannelProxy cached) ? cached.getTargetChannel() : proxy;
			target.addReturnListener((returned) -> nodeGone(returned.getRoutingKey()));
			target.addShutdownListener(NodeOutbox::closedByBroker);
			this.channel = proxy;
			this.target = target;
		}
		return target;
	}

	private static void closedByBroker(ShutdownSignalException signal) {
		if (!signal.isInitiatedByApplication()) {
			logger.warn("The broker closed the channel of the writes to other nodes; those sent on it just before"
					+ " may be lost (" + signal.getMessage() + ")");
		}
	}

	private void nodeGone(String nodeQueue) {
		this.returned.increment();
		long now = System.currentTimeMillis();
		this.gone.values().removeIf((since) -> now - since >= GONE_MILLIS);
		this.gone.put(nodeQueue, now);
	}

	private void closeChannel() {
		Channel proxy = this.channel;
		this.channel = null;
		this.target = null;
		if (proxy != null) {
			ClosedChannels.closeForGood(proxy, "the writes to other nodes");
		}
	}

	private record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
			boolean mandatory) {

	}

}
