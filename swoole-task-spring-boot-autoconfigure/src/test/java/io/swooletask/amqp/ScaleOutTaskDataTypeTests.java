package io.swooletask.amqp;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Greeting;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker node reads task data only into a type its {@code @OnTask} methods declare,
 * whatever class the message names: an implementation of a declared interface is read
 * only from a trusted package.
 */
class ScaleOutTaskDataTypeTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void dataOfAnUndeclaredSubtypeIsRefusedByTheWorkerNamingTheProperty() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		this.nodes.workerNode("worker");
		assertThat(origin.getBean(SwooleServer.class).taskAsync(new Impostor("x"))).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining("Task data of type " + Impostor.class.getName() + " is not read")
			.withMessageContaining("swoole.server.amqp.trusted-packages");
	}

	@Test
	void dataOfASubtypeInATrustedPackageIsRead() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		this.nodes.workerNode("worker", "swoole.server.amqp.trusted-packages=" + Impostor.class.getPackageName());
		assertThat(origin.getBean(SwooleServer.class).<String>taskAsync(new Impostor("x")))
			.succeedsWithin(Duration.ofSeconds(30))
			.isEqualTo("hello x");
	}

	/** Implements a declared interface, and is declared nowhere itself. */
	record Impostor(String name) implements Greeting {
	}

}
