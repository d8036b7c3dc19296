package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task messages published straight into the work queue or the dead-letter queue by
 * something other than a node: each malformed one is rejected with one line saying what
 * is wrong, and the worker goes on acknowledging the tasks after it.
 */
@ExtendWith(OutputCaptureExtension.class)
class MalformedTaskMessageTests {

	private static final int TASKS = 200;

	private static final String JOB = "{\"payload\":\"bad\",\"sleepMillis\":0}";

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void tasksAfterMalformedOnesAreAllAcknowledged() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		publishMalformed(origin);
		ConfigurableApplicationContext worker = this.nodes.workerNode("worker", "swoole.server.task-worker-num=4",
				"swoole.server.shutdown-timeout=2s");
		List<CompletableFuture<Done>> futures = dispatch(origin.getBean(SwooleServer.class), TASKS);
		await().atMost(Duration.ofSeconds(30)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
		assertThat(futures).allMatch((future) -> !future.isCompletedExceptionally());
		worker.close();
		assertThat(RabbitBroker.ready(this.nodes.taskQueue)).as("tasks left unacknowledged, back in the queue")
			.isZero();
	}

	@Test
	void eachMalformedTaskIsLoggedOnceAsAWarningSayingWhatIsWrong(CapturedOutput output) {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		publishMalformed(origin);
		this.nodes.workerNode("worker", "swoole.server.task-worker-num=1");
		List<CompletableFuture<Done>> futures = dispatch(origin.getBean(SwooleServer.class), 1);
		await().atMost(Duration.ofSeconds(30)).until(() -> futures.get(0).isDone());
		assertThat(output).containsOnlyOnce("no swoole-task-id header")
			.containsOnlyOnce("no reply-to")
			.containsOnlyOnce("swoole-task-id header is a String, not a whole number")
			.doesNotContain("ERROR")
			.doesNotContain("\tat ");
	}

	@Test
	void taskWhoseBodyIsNotJsonFailsWithOneWarning(CapturedOutput output) {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		RabbitTemplate template = origin.getBean(RabbitTemplate.class);
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("garbled", 0));
		Message task = new RogueWorker(template, this.nodes.taskQueue).take();
		template.send("", this.nodes.taskQueue,
				new Message("not json".getBytes(StandardCharsets.UTF_8), task.getMessageProperties()));
		this.nodes.workerNode("worker", "swoole.server.task-worker-num=1");
		await().atMost(Duration.ofSeconds(30)).until(future::isDone);
		assertThat(future).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining("cannot be read");
		assertThat(output).containsOnlyOnce("cannot be read, and fails")
			.doesNotContain("ERROR")
			.doesNotContain("\tat ");
	}

	@Test
	void deadLetterReportingGoesOnAfterAMalformedDeadTask(CapturedOutput output) {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		RabbitTemplate template = origin.getBean(RabbitTemplate.class);
		RogueWorker rogue = new RogueWorker(template, this.nodes.taskQueue);
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("dead", 0));
		Message task = rogue.take();
		String deadQueue = this.nodes.taskQueue + ".dead";
		template.send("", deadQueue, json(new MessageProperties()));
		task.getMessageProperties().setHeader(TaskMessages.FIRST_DEATH_REASON, "delivery_limit");
		template.send("", deadQueue, task);
		await().atMost(Duration.ofSeconds(30)).until(future::isDone);
		assertThat(future).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining("dead-lettered");
		assertThat(output).containsOnlyOnce("no swoole-task-id header").doesNotContain("\tat ");
	}

	private void publishMalformed(ConfigurableApplicationContext origin) {
		RabbitTemplate template = origin.getBean(RabbitTemplate.class);
		String replyQueue = origin.getBean(AmqpTaskTransport.class).replyQueue();
		template.send("", this.nodes.taskQueue, json(new MessageProperties()));
		MessageProperties noReplyTo = wellFormed(1L);
		noReplyTo.setReplyTo(null);
		template.send("", this.nodes.taskQueue, json(noReplyTo));
		MessageProperties textId = wellFormed("one");
		textId.setReplyTo(replyQueue);
		template.send("", this.nodes.taskQueue, json(textId));
	}

	private static MessageProperties wellFormed(Object id) {
		MessageProperties properties = new MessageProperties();
		properties.setHeader(TaskMessages.TASK_ID, id);
		properties.setHeader(TaskMessages.SRC_WORKER, 0);
		properties.setHeader(TaskMessages.DISPATCH_TIME, System.currentTimeMillis());
		properties.setHeader(TaskMessages.TYPE, Job.class.getName());
		return properties;
	}

	private static Message json(MessageProperties properties) {
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		return new Message(JOB.getBytes(StandardCharsets.UTF_8), properties);
	}

	private static List<CompletableFuture<Done>> dispatch(SwooleServer server, int count) {
		List<CompletableFuture<Done>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			futures.add(server.taskAsync(new Job("task " + i, 0)));
		}
		return futures;
	}

}
