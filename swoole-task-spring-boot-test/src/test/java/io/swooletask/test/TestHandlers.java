package io.swooletask.test;

import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerProperties;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;

/**
 * The seed's pipeline, each message a task whose result {@code <message> -> OK} goes back
 * framed as the application's settings say, and a few commands that a test of a client
 * needs: {@code hold <text>} keeps the message unanswered until {@code release}, which is
 * answered with {@code released} and then the held messages, the last first;
 * {@code partial <text>} sends the text without framing; {@code close} closes the
 * connection.
 */
class TestHandlers {

	private final SwooleServerProperties properties;

	private final Map<Long, Deque<String>> held = new ConcurrentHashMap<>();

	TestHandlers(SwooleServerProperties properties) {
		this.properties = properties;
	}

	@OnReceive
	void receive(SwooleServer server, Connection connection, String data) {
		if (data.startsWith("hold ")) {
			this.held.computeIfAbsent(connection.id(), (id) -> new ConcurrentLinkedDeque<>()).push(data);
		}
		else if (data.equals("release")) {
			reply(connection, "released");
			Deque<String> held = this.held.remove(connection.id());
			if (held != null) {
				held.forEach((message) -> reply(connection, message));
			}
		}
		else if (data.startsWith("partial ")) {
			connection.send(data.substring("partial ".length()));
		}
		else if (data.equals("close")) {
			connection.close();
		}
		else {
			server.task(data);
		}
	}

	@OnTask
	String task(String data) {
		return data + " -> OK";
	}

	@OnFinish
	void finish(Connection connection, String result) {
		reply(connection, result);
	}

	private void reply(Connection connection, String text) {
		connection.send(ServerFrames.frame(this.properties, text.getBytes(StandardCharsets.UTF_8)));
	}

}
