package io.swooletask.support;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;

/**
 * The seed's pipeline with a reply: each line becomes a task whose result goes back to
 * the client.
 */
public class EchoTaskHandlers {

	@OnReceive
	void receive(SwooleServer server, String data) {
		server.task(data);
	}

	@OnTask
	String task(String data) {
		return data + " -> OK";
	}

	@OnFinish
	void finish(Connection connection, String result) {
		connection.send(result + "\n");
	}

}
