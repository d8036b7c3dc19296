package io.swooletask.amqp;

import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.task.NodeConnections;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;

/**
 * Writes what other nodes send to this node's connections: a broadcast to every open one,
 * a send or a close to the one it names. Each write is a local one, under
 * {@code buffer-output-size}; a write the connection does not take (it closed meanwhile,
 * or its output is full) is counted as missed. A message that says neither is dropped
 * with a log line.
 */
final class NodeMessageReceiver implements MessageListener {

	private static final Log logger = LogFactory.getLog(NodeMessageReceiver.class);

	private final NodeConnections connections;

	private final LongAdder missed = new LongAdder();

	NodeMessageReceiver(NodeConnections connections) {
		this.connections = connections;
	}

	@Override
	public void onMessage(Message message) {
		MessageProperties properties = message.getMessageProperties();
		try {
			switch (NodeMessages.kind(properties)) {
				case BROADCAST -> this.connections.broadcast(message.getBody());
				case SEND -> {
					if (!this.connections.send(TaskMessages.longHeader(properties, NodeMessages.FD),
							message.getBody())) {
						this.missed.increment();
					}
				}
				case CLOSE -> this.connections.close(TaskMessages.longHeader(properties, NodeMessages.FD));
			}
		}
		catch (MalformedMessageException ex) {
			logger.warn("A malformed node message is dropped: " + ex.getMessage());
		}
	}

	/**
	 * The sends from other nodes that this node's connections did not take.
	 * @return the count
	 */
	long missed() {
		return this.missed.sum();
	}

}
