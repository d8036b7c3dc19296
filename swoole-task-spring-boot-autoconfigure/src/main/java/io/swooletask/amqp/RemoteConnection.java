package io.swooletask.amqp;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;

import org.springframework.amqp.core.MessageProperties;

/**
 * The connection a task was dispatched from, on the node that runs the task: its writes
 * travel through the broker to the node that owns the socket, which applies them as local
 * writes. What it tells of the connection is what was true at dispatch; it is open as far
 * as this node knows: until it is closed from here, or its node is known gone.
 */
final class RemoteConnection implements Connection {

	static final String FD = "swoole-connection-fd";

	static final String REACTOR = "swoole-connection-reactor";

	static final String REMOTE_HOST = "swoole-connection-host";

	static final String REMOTE_PORT = "swoole-connection-port";

	static final String CONNECT_TIME = "swoole-connection-time";

	static final String RECEIVE_TIME = "swoole-connection-receive-time";

	private final String node;

	private final long id;

	private final int reactorId;

	private final SocketAddress remoteAddress;

	private final Instant connectTime;

	private final Instant lastReceiveTime;

	private final NodeOutbox outbox;

	private volatile boolean closed;

	private RemoteConnection(String node, long id, int reactorId, SocketAddress remoteAddress, Instant connectTime,
			Instant lastReceiveTime, NodeOutbox outbox) {
		this.node = node;
		this.id = id;
		this.reactorId = reactorId;
		this.remoteAddress = remoteAddress;
		this.connectTime = connectTime;
		this.lastReceiveTime = lastReceiveTime;
		this.outbox = outbox;
	}

	/**
	 * Adds what tells a connection to the headers of a task dispatched from it.
	 */
	static void describe(Connection connection, Map<String, Object> headers) {
		headers.put(FD, connection.id());
		headers.put(REACTOR, connection.reactorId());
		if (connection.remoteAddress() instanceof InetSocketAddress address) {
			headers.put(REMOTE_HOST, address.getHostString());
			headers.put(REMOTE_PORT, address.getPort());
		}
		headers.put(CONNECT_TIME, connection.connectTime().toEpochMilli());
		headers.put(RECEIVE_TIME, connection.lastReceiveTime().toEpochMilli());
	}

	/**
	 * The connection a task message was dispatched from.
	 * @param properties the task message's properties
	 * @param node the node that dispatched it
	 * @param outbox where writes to the connection go
	 * @return the connection, or {@code null} for a task dispatched outside any
	 * @throws MalformedMessageException if the headers tell a connection but not all of
	 * it
	 */
	static @Nullable RemoteConnection of(MessageProperties properties, String node, NodeOutbox outbox) {
		if (properties.getHeader(FD) == null) {
			return null;
		}
		String host = TaskMessages.stringHeader(properties, REMOTE_HOST);
		SocketAddress remote = InetSocketAddress.createUnresolved((host != null) ? host : "unknown",
				(host != null) ? TaskMessages.intHeader(properties, REMOTE_PORT, 0, 65535) : 0);
		return new RemoteConnection(node, TaskMessages.longHeader(properties, FD),
				TaskMessages.intHeader(properties, REACTOR, -1, Integer.MAX_VALUE), remote,
				Instant.ofEpochMilli(TaskMessages.longHeader(properties, CONNECT_TIME)),
				Instant.ofEpochMilli(TaskMessages.longHeader(properties, RECEIVE_TIME)), outbox);
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
		return this.remoteAddress;
	}

	@Override
	public Instant connectTime() {
		return this.connectTime;
	}

	/**
	 * When data was last received as of the task's dispatch.
	 */
	@Override
	public Instant lastReceiveTime() {
		return this.lastReceiveTime;
	}

	@Override
	public boolean isOpen() {
		return !this.closed && !this.outbox.isGone(this.node);
	}

	@Override
	public boolean send(String data) {
		return send(data.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Hands the bytes to the broker for the node that owns the connection.
	 * @return {@code false} if the connection was closed from here, its node is known
	 * gone, the bytes are more than {@code buffer-output-size}, this node is stopping, or
	 * its writes to other nodes are full; a write the connection does not take on its
	 * node (it closed meanwhile, or its output is full) is counted there
	 */
	@Override
	public boolean send(byte[] data) {
		return !this.closed && this.outbox.send(this.node, this.id, data);
	}

	@Override
	public void close() {
		if (!this.closed) {
			this.closed = true;
			this.outbox.close(this.node, this.id);
		}
	}

	@Override
	public String toString() {
		return "Connection[fd=" + this.id + ", node=" + this.node + "]";
	}

}
