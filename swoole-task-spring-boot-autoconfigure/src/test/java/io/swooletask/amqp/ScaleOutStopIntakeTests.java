package io.swooletask.amqp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Handlers;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.amqp.ScaleOutApplication.Relay;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker node stopping gracefully while a task it runs dispatches a task of its own:
 * the stop has closed the node's intake, so that task cannot be sent from here, and the
 * running task goes back to the queue for another node instead of failing.
 */
class ScaleOutStopIntakeTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void taskRefusedATaskByTheStoppingNodeGoesBackToTheQueue() throws Exception {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		ConfigurableApplicationContext worker = this.nodes.workerNode("worker", "swoole.server.task-worker-num=1",
				"swoole.server.shutdown-timeout=20s");
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Relay("relayed"));
		Handlers handlers = worker.getBean(Handlers.class);
		assertThat(handlers.relaying.await(30, TimeUnit.SECONDS)).isTrue();
		SwooleServer stopping = worker.getBean(SwooleServer.class);
		CompletableFuture<Void> closed = CompletableFuture.runAsync(worker::close);
		await().atMost(Duration.ofSeconds(30)).until(() -> refusesTasks(stopping));
		handlers.relayRelease.countDown();
		closed.get(30, TimeUnit.SECONDS);
		ConfigurableApplicationContext other = this.nodes.workerNode("other");
		other.getBean(Handlers.class).relayRelease.countDown();
		assertThat(future).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(new Done("relayed -> relayed", "other"));
	}

	private static boolean refusesTasks(SwooleServer server) {
		try {
			server.task(new Job("probe", 0));
			return false;
		}
		catch (ServerShutdownException ex) {
			return true;
		}
	}

}
