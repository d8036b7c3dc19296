package io.swooletask.sample;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Swoole's {@code task.php}, one callback per method, plus the reply to the client. Off
 * under the {@code chat} profile, whose {@code @OnReceive} method would otherwise be a
 * second one (an application has one, as Swoole has one {@code onReceive} callback), and
 * under the {@code mail} profile, a web application whose task pool runs without a TCP
 * server.
 */
@Component
@Profile("!chat & !mail")
class TaskHandlers {

	@OnReceive
	void receive(SwooleServer serv, long fd, int reactorId, String data) {
		long taskId = serv.task(data);
		System.out.println("Dispatch AsyncTask: id=" + taskId);
	}

	@OnTask
	String task(SwooleServer serv, long taskId, int srcWorkerId, String data) {
		System.out.println("New AsyncTask[id=" + taskId + "]");
		return data + " -> OK";
	}

	@OnFinish
	void finish(SwooleServer serv, long taskId, String data, Connection connection) {
		System.out.println("AsyncTask[" + taskId + "] Finish: " + data);
		connection.send(data + "\n");
	}

}
