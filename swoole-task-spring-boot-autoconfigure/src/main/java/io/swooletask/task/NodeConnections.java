package io.swooletask.task;

/**
 * The open connections of this node, for a {@link TaskBackend} that carries writes from
 * other nodes to them. Each write is one a local {@code send} would make, under the same
 * {@code buffer-output-size} and counted the same way.
 */
public interface NodeConnections {

	/**
	 * Writes to a connection of this node.
	 * @param fd the connection id
	 * @param data the bytes
	 * @return {@code false} if no such connection is open or its output buffer is full
	 */
	boolean send(long fd, byte[] data);

	/**
	 * Closes a connection of this node after what was sent to it is flushed.
	 * @param fd the connection id
	 * @return whether it was open
	 */
	boolean close(long fd);

	/**
	 * Writes to every open connection of this node, each under its own
	 * {@code buffer-output-size}.
	 * @param data the bytes
	 * @return how many connections took them
	 */
	int broadcast(byte[] data);

}
