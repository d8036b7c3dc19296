package io.swooletask.server.netty;

import io.netty.channel.Channel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.util.concurrent.EventExecutor;

import io.swooletask.task.TaskQueueSaturation;

/**
 * Whether the server reads from its connections: paused while the task queue is saturated, so that TCP
 * slows the clients down, and closed for good when the server shuts down. Each loop applies the state
 * to its own channels; a channel that is reading checks it after every message, so that it stops within
 * one message, and Netty's {@link FlowControlHandler} holds what was already decoded until it reads
 * again.
 */
final class ReadGate implements TaskQueueSaturation {

	private final ConnectionRegistry registry;

	private volatile Iterable<EventExecutor> loops = java.util.List.of();

	private volatile boolean paused;

	private volatile boolean closed;

	ReadGate(ConnectionRegistry registry) {
		this.registry = registry;
	}

	void loops(Iterable<EventExecutor> loops) {
		this.loops = loops;
	}

	boolean isOpen() {
		return !this.paused && !this.closed;
	}

	@Override
	public void saturated() {
		this.paused = true;
		applyEverywhere();
	}

	@Override
	public void drained() {
		this.paused = false;
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
	 * Stops a channel that is reading while the gate is shut, within the message it is handling.
	 */
	void check(Channel channel) {
		if (!isOpen() && channel.config().isAutoRead()) {
			channel.config().setAutoRead(false);
		}
	}

	/**
	 * Applies the state to one channel, on its event loop.
	 */
	void apply(Channel channel) {
		boolean open = isOpen();
		if (channel.config().isAutoRead() != open) {
			channel.config().setAutoRead(open);
		}
		if (this.closed) {
			deliverDecoded(channel);
		}
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
			Channel channel = connection.channel();
			if (channel.eventLoop() == loop) {
				apply(channel);
			}
		}
	}

}
