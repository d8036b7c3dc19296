package io.swooletask.benchmarks.starterapp;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

/**
 * The least application of the starter: each line goes through a task worker and comes
 * back with {@code " -> OK"}, as in the sample's default handlers (unordered across the
 * workers, unlike the Reactor Netty floor's echo). Against that floor,
 * {@code benchmarks/startup.sh} measures what the starter itself costs to start, apart
 * from the dependencies the sample carries for its other profiles.
 */
@SpringBootApplication
public class StarterApplication {

	public static void main(String[] args) {
		SpringApplication.run(StarterApplication.class, args);
	}

	@Component
	static class EchoHandlers {

		@OnReceive
		void receive(SwooleServer server, String line) {
			server.task(line);
		}

		@OnTask
		String task(String line) {
			return line + " -> OK";
		}

		@OnFinish
		void finish(String reply, Connection connection) {
			connection.send(reply + "\n");
		}

	}

}
