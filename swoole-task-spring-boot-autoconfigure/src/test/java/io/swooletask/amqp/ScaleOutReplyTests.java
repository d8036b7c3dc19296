package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;
import io.swooletask.server.TaskTimeoutException;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every task dispatched through the amqp transport ends, whatever becomes of its replies.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutReplyTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void taskWhoseEndNeverArrivesTimesOutAndGivesBackItsPlace(CapturedOutput output) {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.amqp.reply-timeout=500ms");
		SwooleServer server = origin.getBean(SwooleServer.class);
		CompletableFuture<Done> future = server.taskAsync(new Job("nobody runs this", 0));
		await().atMost(Duration.ofSeconds(30)).until(future::isDone);
		assertThat(future).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskTimeoutException.class)
			.withMessageContaining("swoole.server.amqp.reply-timeout");
		// the place is given back after the future completes, on another thread
		await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().taskingNum() == 0);
		assertThat(origin.getBean(MeterRegistry.class).get("swoole.amqp.tasks.timed.out").functionCounter().count())
			.isOne();
		assertThat(output).containsOnlyOnce("1 tasks timed out");
	}

	@Test
	void replyThatCannotBeReadFailsItsTask(CapturedOutput output) {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		SwooleServer server = origin.getBean(SwooleServer.class);
		CompletableFuture<Done> future = server.taskAsync(new Job("garbled", 0));
		rogue.reply(rogue.take(), Map.of(TaskMessages.KIND, "GARBLED"), "?");
		await().atMost(Duration.ofSeconds(30)).until(future::isDone);
		assertThat(future).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining("reply cannot be read");
		// the place is given back after the future completes, on another thread
		await().atMost(Duration.ofSeconds(30)).until(() -> server.stats().taskingNum() == 0);
		assertThat(output).containsOnlyOnce("GARBLED");
	}

	@Test
	void replyToAQueueThatIsGoneIsReturnedToTheWorkerThatLogsAndCountsIt(CapturedOutput output) {
		ConfigurableApplicationContext worker = this.nodes.workerNode("worker");
		String nowhere = this.nodes.taskQueue + ".replies." + "0".repeat(32);
		MessageProperties properties = new MessageProperties();
		properties.setHeader(TaskMessages.TASK_ID, 7L);
		properties.setHeader(TaskMessages.SRC_WORKER, -1);
		properties.setHeader(TaskMessages.DISPATCH_TIME, System.currentTimeMillis());
		properties.setHeader(TaskMessages.TYPE, Job.class.getName());
		properties.setReplyTo(nowhere);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		worker.getBean(RabbitTemplate.class)
			.send("", this.nodes.taskQueue, new Message(
					"{\"payload\":\"lost\",\"sleepMillis\":0}".getBytes(StandardCharsets.UTF_8), properties));
		MeterRegistry meters = worker.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> meters.get("swoole.amqp.replies.returned").functionCounter().count() == 1);
		// counted before it is logged
		await().atMost(Duration.ofSeconds(30))
			.until(() -> output.getAll().contains("reply to task 7 was returned by the broker"));
		assertThat(output).containsOnlyOnce("reply to task 7 was returned by the broker");
	}

	@Test
	void replyQueueDeletedUnderTheNodeIsDeclaredAgainOnReconnecting() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		this.nodes.workerNode("worker");
		String replyQueue = origin.getBean(AmqpTaskTransport.class).replyQueue();
		AmqpAdmin admin = origin.getBean(AmqpAdmin.class);
		admin.deleteQueue(replyQueue);
		origin.getBean(CachingConnectionFactory.class).resetConnection();
		await().atMost(Duration.ofSeconds(30)).until(() -> admin.getQueueProperties(replyQueue) != null);
		Done done = origin.getBean(SwooleServer.class).taskwait(new Job("again", 0), Duration.ofSeconds(30));
		assertThat(done).isEqualTo(new Done("again -> OK", "worker"));
	}

	@Test
	void replyQueueDeletedUnderTheNodeIsDeclaredAgainByItsConsumer() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		this.nodes.workerNode("worker");
		String replyQueue = origin.getBean(AmqpTaskTransport.class).replyQueue();
		AmqpAdmin admin = origin.getBean(AmqpAdmin.class);
		admin.deleteQueue(replyQueue);
		await().atMost(Duration.ofSeconds(30)).until(() -> admin.getQueueProperties(replyQueue) != null);
		Done done = origin.getBean(SwooleServer.class).taskwait(new Job("again", 0), Duration.ofSeconds(30));
		assertThat(done).isEqualTo(new Done("again -> OK", "worker"));
	}

	@Test
	void replyArrivingAfterTheTimeoutIsDroppedAndCounted() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.amqp.reply-timeout=500ms");
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("late", 0));
		Message task = rogue.take();
		await().atMost(Duration.ofSeconds(30)).until(future::isDone);
		rogue.result(task, Done.class.getName(), "{\"text\":\"late -> OK\",\"node\":\"rogue\"}");
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> transport.counters().duplicates() == 1);
		assertThat(future).isCompletedExceptionally();
	}

}
