package io.swooletask.server.netty;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

import io.swooletask.task.NodeConnections;

/**
 * The open connections by id, with Swoole's connection counters. The ids count up from
 * the task backend's first id, which tells this node's connections from those of the
 * other nodes of a scale-out.
 */
final class ConnectionRegistry implements NodeConnections {

	private final Map<Long, NettyConnection> connections = new ConcurrentHashMap<>();

	private final int maxConn;

	private final AtomicInteger open = new AtomicInteger();

	private final AtomicLong ids;

	private final LongAdder accepted = new LongAdder();

	private final LongAdder closed = new LongAdder();

	private final LongAdder received = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final LongAdder oversizeFrames = new LongAdder();

	private final LongAdder invalidFrames = new LongAdder();

	private final LongAdder refusedWrites = new LongAdder();

	private final boolean logFields;

	ConnectionRegistry(int maxConn, boolean logFields, long firstId) {
		this.ids = new AtomicLong(firstId);
		this.maxConn = maxConn;
		this.logFields = logFields;
	}

	/**
	 * Registers a new connection, unless {@code max-conn} are open already.
	 * @return the connection, or {@code null} if it must be refused
	 */
	@Nullable NettyConnection open(Channel channel, int reactorId) {
		if (this.open.incrementAndGet() > this.maxConn) {
			this.open.decrementAndGet();
			this.rejected.increment();
			return null;
		}
		NettyConnection connection = new NettyConnection(this.ids.incrementAndGet(), channel, reactorId,
				this.refusedWrites, this.logFields);
		this.connections.put(connection.id(), connection);
		this.accepted.increment();
		return connection;
	}

	void close(NettyConnection connection) {
		if (this.connections.remove(connection.id()) != null) {
			this.open.decrementAndGet();
			this.closed.increment();
		}
	}

	void oversizeFrame() {
		this.oversizeFrames.increment();
	}

	void invalidFrame() {
		this.invalidFrames.increment();
	}

	void received() {
		this.received.increment();
	}

	@Nullable NettyConnection get(long fd) {
		return this.connections.get(fd);
	}

	/**
	 * Sends to a connection by id.
	 * @return whether it is open and took the data
	 */
	boolean send(long fd, String data) {
		NettyConnection connection = get(fd);
		return connection != null && connection.send(data);
	}

	@Override
	public boolean send(long fd, byte[] data) {
		NettyConnection connection = get(fd);
		return connection != null && connection.send(data);
	}

	@Override
	public boolean close(long fd) {
		NettyConnection connection = get(fd);
		if (connection == null) {
			return false;
		}
		connection.close();
		return true;
	}

	@Override
	public int broadcast(byte[] data) {
		int sent = 0;
		for (NettyConnection connection : this.connections.values()) {
			if (connection.send(data)) {
				sent++;
			}
		}
		return sent;
	}

	boolean isOpen(long fd) {
		NettyConnection connection = get(fd);
		return connection != null && connection.isOpen();
	}

	Collection<NettyConnection> all() {
		return List.copyOf(this.connections.values());
	}

	int size() {
		return this.connections.size();
	}

	long acceptCount() {
		return this.accepted.sum();
	}

	long closeCount() {
		return this.closed.sum();
	}

	long requestCount() {
		return this.received.sum();
	}

	long rejectCount() {
		return this.rejected.sum();
	}

	long oversizeFrameCount() {
		return this.oversizeFrames.sum();
	}

	long invalidFrameCount() {
		return this.invalidFrames.sum();
	}

	long refusedWriteCount() {
		return this.refusedWrites.sum();
	}

}
