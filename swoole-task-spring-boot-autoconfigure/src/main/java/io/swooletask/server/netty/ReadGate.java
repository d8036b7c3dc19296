package io.swooletask.server.netty;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.netty.channel.Channel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * Whether the server reads from its connections: paused while the task queue is
 * saturated, so that TCP slows the clients down, and closed for good when the server
 * shuts down. The gate holds no state of its own about the queue: each time the pause
 * flips, every loop applies to its channels the state as it is when the loop gets to it,
 * so the last application on each loop follows the last flip. A channel that is reading
 * checks the state after every message and, when it finds reading paused, stops every
 * channel of its loop at once, so that each loop adds at most one message's tasks past
 * the saturation mark. Netty's {@link FlowControlHandler} holds what was already decoded
 * until reading resumes.
 */
final class ReadGate {

	private final ConnectionRegistry registry;

	private final AtomicInteger pausedConnections = new AtomicInteger();

	private volatile BooleanSupplier queueFull = () -> false;

	private volatile Iterable<EventExecutor> loops = List.of();

	private final AtomicReference<@Nullable Instant> pausedSince = new AtomicReference<>();

	private volatile boolean closed;

	ReadGate(ConnectionRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Sets where the gate reads whether the task queue is near full.
	 * @param queueFull whether reading is paused by backpressure
	 */
	void pausedBy(BooleanSupplier queueFull) {
		this.queueFull = queueFull;
	}

	void loops(Iterable<EventExecutor> loops) {
		this.loops = loops;
	}

	boolean isOpen() {
		return !this.closed && !this.queueFull.getAsBoolean();
	}

	/**
	 * Reading was paused or resumed: applies the new state on every loop.
	 */
	void changed() {
		if (this.queueFull.getAsBoolean()) {
			this.pausedSince.compareAndSet(null, Instant.now());
		}
		else {
			this.pausedSince.set(null);
		}
		applyEverywhere();
	}

	/**
	 * Stops reading for good, after delivering the messages already decoded.
	 */
	void close() {
		this.closed = true;
		applyEverywhere();
	}

	/**
	 * Stops the loop of a connection that is reading while the gate is shut, within the
	 * message it is handling, or only that connection when the gate had already stopped
	 * it; called on that loop.
	 */
	void check(NettyConnection connection) {
		if (isOpen()) {
			if (connection.isInputShutdown()) {
				connection.channel().eventLoop().execute(connection::pullHeld);
			}
		}
		else if (!connection.readPaused()) {
			applyOn(connection.channel().eventLoop());
		}
		else if (connection.channel().config().isAutoRead() && !connection.isInputShutdown()) {
			// switched on behind the gate's back, as Reactor Netty does when a
			// customizer's handler subscribes to the input
			apply(connection);
		}
	}

	/**
	 * Applies the state to one connection, on its event loop.
	 */
	void apply(NettyConnection connection) {
		boolean open = isOpen();
		Channel channel = connection.channel();
		if (connection.readPaused() == open) {
			connection.readPaused(!open);
			this.pausedConnections.addAndGet(open ? -1 : 1);
			if (open) {
				// the pause was the server's: the client's idle time starts now
				connection.restartIdleTime();
			}
		}
		if (connection.isInputShutdown()) {
			if (open) {
				connection.pullHeld();
			}
		}
		else if (channel.config().isAutoRead() != open) {
			channel.config().setAutoRead(open);
		}
		if (this.closed) {
			deliverDecoded(channel);
		}
	}

	/**
	 * Forgets a connection that closed, on its event loop.
	 */
	void closed(NettyConnection connection) {
		if (connection.readPaused()) {
			connection.readPaused(false);
			this.pausedConnections.decrementAndGet();
		}
	}

	/**
	 * How many connections are not read from now, by backpressure or shutdown.
	 * @return the count
	 */
	int pausedConnections() {
		return this.pausedConnections.get();
	}

	/**
	 * Since when reading is paused by backpressure.
	 * @return when the pause began, or {@code null} while reading is not paused
	 */
	@Nullable Instant pausedSince() {
		return this.queueFull.getAsBoolean() ? this.pausedSince.get() : null;
	}

	private void deliverDecoded(Channel channel) {
		if (channel.pipeline().get(FlowControlHandler.class) != null) {
			// on removal it hands on every message it holds
			channel.pipeline().remove(FlowControlHandler.class);
		}
	}

	private void applyEverywhere() {
		for (EventExecutor loop : this.loops) {
			if (loop.inEventLoop()) {
				applyOn(loop);
			}
			else {
				loop.execute(() -> applyOn(loop));
			}
		}
	}

	private void applyOn(EventExecutor loop) {
		for (NettyConnection connection : this.registry.all()) {
			if (connection.channel().eventLoop() == loop) {
				apply(connection);
			}
		}
	}

}
