package io.swooletask.server.netty;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.Connection;

/**
 * A {@link Connection} over a Netty channel. Writes from any thread; Netty hands them to
 * the channel's event loop.
 */
final class NettyConnection implements Connection {

	private static final Log logger = LogFactory.getLog(NettyConnection.class);

	private static final AtomicIntegerFieldUpdater<NettyConnection> REFUSAL_LOGGED = AtomicIntegerFieldUpdater
		.newUpdater(NettyConnection.class, "refusalLogged");

	private final long id;

	private final Channel channel;

	private final int reactorId;

	private final long connectMillis = System.currentTimeMillis();

	private final TaskOrigin origin;

	/** Counts the sends of every connection that {@code buffer-output-size} refused. */
	private final LongAdder refusedWrites;

	/**
	 * 1 once a refused send was logged: once per connection, as a client that does not
	 * read causes many. Set through {@link #REFUSAL_LOGGED}, which costs each connection
	 * no object of its own.
	 */
	private volatile int refusalLogged;

	private volatile long lastReceiveMillis = this.connectMillis;

	/**
	 * Whether the {@link ReadGate} stopped reading from it; touched on its event loop
	 * only.
	 */
	private boolean readPaused;

	/**
	 * Whether every message the client sent has been handed on; touched on its event loop
	 * only.
	 */
	private boolean inputEnded;

	NettyConnection(long id, Channel channel, int reactorId, LongAdder refusedWrites, boolean logFields) {
		this.id = id;
		this.channel = channel;
		this.reactorId = reactorId;
		this.refusedWrites = refusedWrites;
		this.origin = new TaskOrigin(channel.eventLoop(), reactorId, this, logFields);
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public int reactorId() {
		return this.reactorId;
	}

	@Override
	public SocketAddress remoteAddress() {
		return this.channel.remoteAddress();
	}

	@Override
	public Instant connectTime() {
		return Instant.ofEpochMilli(this.connectMillis);
	}

	@Override
	public Instant lastReceiveTime() {
		return Instant.ofEpochMilli(this.lastReceiveMillis);
	}

	@Override
	public boolean isOpen() {
		return this.channel.isActive();
	}

	@Override
	public boolean send(String data) {
		if (!this.channel.isActive()) {
			return false;
		}
		return write(ByteBufUtil.writeUtf8(this.channel.alloc(), data));
	}

	@Override
	public boolean send(byte[] data) {
		if (!this.channel.isActive()) {
			return false;
		}
		return write(Unpooled.wrappedBuffer(data));
	}

	/**
	 * Writes unless that would take the pending output past {@code buffer-output-size},
	 * Netty's high water mark, so that a client that does not read cannot grow the
	 * server's memory. A single message larger than that limit is never sent. A refusal
	 * is counted, and logged the first time only: otherwise the caller learns of it from
	 * {@code false} alone, and the client just waits.
	 */
	private boolean write(ByteBuf buffer) {
		int size = buffer.readableBytes();
		if (size > this.channel.bytesBeforeUnwritable()) {
			buffer.release();
			if (REFUSAL_LOGGED.compareAndSet(this, 0, 1)) {
				logger.warn("Refused a send of " + size + " bytes to " + this + ": it would take the output pending on"
						+ " it past " + this.channel.config().getWriteBufferHighWaterMark()
						+ " bytes (swoole.server.buffer-output-size); further refusals on this connection are only"
						+ " counted (swoole.connections.writes.refused)");
			}
			this.refusedWrites.increment();
			return false;
		}
		this.channel.writeAndFlush(buffer, this.channel.voidPromise());
		return true;
	}

	@Override
	public void close() {
		if (this.channel.isActive()) {
			logger.debug("Closing " + this + ": the application closed it");
		}
		this.channel.close();
	}

	Channel channel() {
		return this.channel;
	}

	TaskOrigin origin() {
		return this.origin;
	}

	boolean readPaused() {
		return this.readPaused;
	}

	void readPaused(boolean readPaused) {
		this.readPaused = readPaused;
	}

	/**
	 * Whether the client has shut its output down and Netty has read all it sent. Netty
	 * then no longer watches the socket for input, so reading must not be switched on
	 * again; the messages decoded before the end are taken one by one with
	 * {@link #pullHeld()}.
	 */
	boolean isInputShutdown() {
		return this.channel instanceof DuplexChannel duplex && duplex.isInputShutdown();
	}

	/**
	 * Asks for the next message decoded before the end of the input, unless the end
	 * itself has come or reading from it was paused since the pull was scheduled.
	 */
	void pullHeld() {
		if (!this.inputEnded && !this.readPaused) {
			this.channel.read();
		}
	}

	/**
	 * Whether the server, not the client, is why no message came: reading from it is
	 * paused, a task dispatched for one of its messages has not ended, or messages it
	 * sent before shutting its output down are still to be handled.
	 */
	boolean heldByServer() {
		return this.readPaused || this.origin.inFlight() > 0 || (isInputShutdown() && !this.inputEnded);
	}

	/**
	 * Starts the heartbeat's idle time ({@code heartbeat-idle-time}) over, on its event
	 * loop.
	 */
	void restartIdleTime() {
		IdleStateHandler heartbeat = this.channel.pipeline().get(IdleStateHandler.class);
		if (heartbeat != null) {
			heartbeat.resetReadTimeout();
		}
	}

	void inputEnded() {
		this.inputEnded = true;
	}

	boolean isInputEnded() {
		return this.inputEnded;
	}

	void received() {
		this.lastReceiveMillis = System.currentTimeMillis();
	}

	@Override
	public String toString() {
		return "Connection[fd=" + this.id + ", remote=" + this.channel.remoteAddress() + "]";
	}

}
