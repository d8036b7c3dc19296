package io.swooletask.benchmarks.starter;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.benchmarks.protocol.HeapProbe;
import io.swooletask.benchmarks.protocol.ReplyForm;
import io.swooletask.benchmarks.protocol.Request;
import io.swooletask.benchmarks.protocol.TaskWork;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;

import org.springframework.stereotype.Component;

/**
 * The benchmark protocol as a starter user writes it: {@code E} and {@code G} are
 * answered on the event loop, task requests go to {@link SwooleServer#task(Object)}, and
 * {@code @OnFinish} writes the result.
 */
@Component
class BenchHandlers {

	@OnReceive
	void receive(SwooleServer server, Connection connection, String line) {
		Request request;
		try {
			request = Request.parse(line);
		}
		catch (IllegalArgumentException ex) {
			connection.close();
			return;
		}
		switch (request.type().code()) {
			case 'E' -> connection.send(ReplyForm.ECHO.format(request.payload()) + "\n");
			case 'G' -> connection.send(HeapProbe.collectAndMeasure() + "\n");
			default -> server.task(request);
		}
	}

	@OnTask
	String task(Request request) {
		return TaskWork.run(request);
	}

	@OnFinish
	void finish(String result, Connection connection) {
		connection.send(result + "\n");
	}

}
