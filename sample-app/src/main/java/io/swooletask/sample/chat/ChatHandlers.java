package io.swooletask.sample.chat;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The case Swoole's task documentation starts from: a chat server, where broadcasting on
 * the receive path would hold up every client of that event loop for as long as the
 * broadcast takes. Here the event loop only parses {@code SAY <text>} and dispatches a
 * task; a task worker writes the line to every open connection. The tasks are ordered by
 * sender, so that each person's lines reach everyone in the order they were said, on one
 * node or across several.
 */
@Component
@Profile("chat")
class ChatHandlers {

	private static final String SAY = "SAY ";

	@OnReceive
	void receive(SwooleServer server, Connection connection, String line) {
		if (line.startsWith(SAY)) {
			server.taskOrdered(connection.id(), new ChatMessage(connection.id(), line.substring(SAY.length())));
		}
		else {
			connection.send("ERR expected: SAY <text>\n");
		}
	}

	/**
	 * Returns nothing: the broadcast is the whole effect, so there is no finish event and
	 * no {@code @OnFinish} method. A client that does not read loses lines once its
	 * pending output reaches {@code buffer-output-size}, rather than growing the server's
	 * memory. With the amqp profile the task may run on another node, and the broadcast
	 * reaches the clients of every node; the sender's connection id, which names it in
	 * the line, is unique across the nodes.
	 */
	@OnTask
	void broadcast(SwooleServer server, ChatMessage message) {
		server.broadcast(message.from() + ": " + message.text() + "\n");
	}

}
