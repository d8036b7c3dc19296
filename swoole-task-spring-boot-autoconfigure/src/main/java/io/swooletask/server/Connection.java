package io.swooletask.server;

import java.net.SocketAddress;
import java.time.Instant;

/**
 * A client connection, as a Swoole {@code fd} with its {@code getClientInfo()}.
 */
public interface Connection {

	/**
	 * The connection id, Swoole's {@code fd}: unique for the life of the server. With the
	 * amqp transport, the ids of each node count up from bits of its random node id, so
	 * that the ids of the nodes of an application differ, as task ids do.
	 * @return the id
	 */
	long id();

	/**
	 * The index of the event loop that owns this connection, Swoole's {@code reactorId}.
	 * @return the loop index
	 */
	int reactorId();

	/**
	 * The client's address.
	 * @return the remote address
	 */
	SocketAddress remoteAddress();

	/**
	 * When the connection was accepted.
	 * @return the accept time
	 */
	Instant connectTime();

	/**
	 * When data was last received, or the accept time if none was.
	 * @return the last receive time
	 */
	Instant lastReceiveTime();

	/**
	 * Whether the connection is still open.
	 * @return whether it is open
	 */
	boolean isOpen();

	/**
	 * Writes UTF-8 text.
	 * @param data the text
	 * @return {@code false} if the connection is closed or its output buffer is full
	 */
	boolean send(String data);

	/**
	 * Writes bytes.
	 * @param data the bytes
	 * @return {@code false} if the connection is closed or its output buffer is full
	 */
	boolean send(byte[] data);

	/**
	 * Closes the connection after what was sent is flushed.
	 */
	void close();

}
