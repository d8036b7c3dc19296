package io.swooletask.amqp;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the nodes of the amqp transport tell their replies apart: each node's reply queue
 * is named after a random 128-bit node id, so that no two nodes, nor a node and one
 * restarted in its place, share one.
 */
class ScaleOutNodeIdentityTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void replyQueueIsNamedAfterA128BitNodeId() {
		AmqpTaskTransport transport = this.nodes.tcpNode().getBean(AmqpTaskTransport.class);
		assertThat(transport.replyQueue())
			.matches(this.nodes.taskQueue.replace(".", "\\.") + "\\.replies\\.[0-9a-f]{32}");
	}

	@Test
	void nodeRestartedInThePlaceOfAStoppedOneGetsOnlyItsOwnReplies() throws Exception {
		ConfigurableApplicationContext stopped = this.nodes.tcpNode();
		String stoppedQueue = stopped.getBean(AmqpTaskTransport.class).replyQueue();
		stopped.close();
		this.nodes.workerNode("worker");
		ConfigurableApplicationContext restarted = this.nodes.tcpNode();
		assertThat(restarted.getBean(AmqpTaskTransport.class).replyQueue()).isNotEqualTo(stoppedQueue);
		assertThat(restarted.getBean(SwooleServer.class).taskAsync(new Job("mine", 0)).get(30, TimeUnit.SECONDS))
			.isEqualTo(new Done("mine -> OK", "worker"));
	}

}
