package io.swooletask.amqp;

import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;

import org.springframework.amqp.core.MessageProperties;

/**
 * The messages one node sends another to write to its connections: a broadcast, through
 * the fanout exchange to every node that serves clients, or a send or a close of one
 * connection, to the node queue of the node that owns it. The body is the bytes to write.
 * They are transient: a node queue goes with its node.
 */
final class NodeMessages {

	static final String KIND = "swoole-node-kind";

	static final String FD = "swoole-fd";

	private static final int TRANSIENT = 1;

	/**
	 * What a node message asks of the node.
	 */
	enum Kind {

		/** Write the body to every open connection. */
		BROADCAST,

		/** Write the body to the connection {@link #FD}. */
		SEND,

		/** Close the connection {@link #FD} after what was sent to it. */
		CLOSE

	}

	private NodeMessages() {
	}

	static AMQP.BasicProperties broadcast() {
		return properties(Kind.BROADCAST, Map.of());
	}

	static AMQP.BasicProperties toConnection(Kind kind, long fd) {
		return properties(kind, Map.of(FD, fd));
	}

	private static AMQP.BasicProperties properties(Kind kind, Map<String, Object> more) {
		Map<String, Object> headers = new HashMap<>(more);
		headers.put(KIND, kind.name());
		return new AMQP.BasicProperties.Builder().contentType("application/octet-stream")
			.deliveryMode(TRANSIENT)
			.headers(headers)
			.build();
	}

	/**
	 * What a node message asks.
	 * @throws MalformedMessageException if it does not say
	 */
	static Kind kind(MessageProperties properties) {
		String kind = TaskMessages.requiredStringHeader(properties, KIND);
		try {
			return Kind.valueOf(kind);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException("Header " + KIND + " names no kind of node message: " + kind);
		}
	}

}
