package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Handlers;
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
 * Replies of a worker's making that no node would send, published straight to a node's
 * reply queue: each fails its task and gives back its place, with one warning saying what
 * is wrong, and none is acted on.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileReplyTests {

	private static final String DONE = "{\"text\":\"hostile\",\"node\":\"rogue\"}";

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	private ConfigurableApplicationContext origin;

	private SwooleServer server;

	private RogueWorker rogue;

	private CompletableFuture<Done> future;

	private Message task;

	@BeforeEach
	void dispatchATaskToTheRogue() {
		this.origin = this.nodes.tcpNode();
		this.server = this.origin.getBean(SwooleServer.class);
		this.rogue = new RogueWorker(this.origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		this.future = this.server.taskAsync(new Job("hostile", 0));
		this.task = this.rogue.take();
	}

	@Test
	void finishWithASequenceBeyondTheBoundFailsItsTask(CapturedOutput output) {
		finish(Integer.MAX_VALUE, DONE);
		assertFailedAndFreed("swoole-seq header is 2147483647, not within 0..65535");
		assertOneWarning(output, "swoole-seq header is 2147483647");
	}

	@Test
	void finishWithALongSequenceIsNotReadAsItsLowBits(CapturedOutput output) {
		finish(1L << 32, DONE);
		assertFailedAndFreed("swoole-seq header is 4294967296, not within 0..65535");
		assertOneWarning(output, "swoole-seq header is 4294967296");
	}

	@Test
	void finishWithASequenceOfTheWrongTypeFailsItsTask(CapturedOutput output) {
		finish("0", DONE);
		assertFailedAndFreed("swoole-seq header is a String, not a whole number");
		assertOneWarning(output, "swoole-seq header is a String");
	}

	@Test
	void finishThatCannotBeReadEndsItsTaskAndGivesBackItsPlace(CapturedOutput output) {
		finish(0, "not json");
		assertFailedAndFreed("cannot be read");
		assertOneWarning(output, "cannot be read");
	}

	@Test
	void resultThatIsNotJsonIsOneWarning(CapturedOutput output) {
		this.rogue.result(this.task, Done.class.getName(), "not json");
		assertFailedAndFreed("cannot be read");
		assertOneWarning(output, "cannot be read");
	}

	@Test
	void replyOfAnUnknownKindIsOneWarning(CapturedOutput output) {
		this.rogue.reply(this.task, Map.of(TaskMessages.KIND, "GARBLED"), "?");
		assertFailedAndFreed("GARBLED");
		assertOneWarning(output, "GARBLED");
	}

	@Test
	void replyNamingNoTaskIsOneWarning(CapturedOutput output) {
		replyForNoTask(Map.of(TaskMessages.KIND, TaskMessages.Kind.END.name()));
		assertOneWarningOnly(output, "no swoole-task-id header");
	}

	@Test
	void replyOfAnUnknownKindNamingATaskNotAwaitedIsOneWarning(CapturedOutput output) {
		replyForNoTask(Map.of(TaskMessages.KIND, "GARBLED", TaskMessages.TASK_ID, Long.MAX_VALUE));
		assertOneWarningOnly(output, "GARBLED");
	}

	/**
	 * Publishes a reply that no task dispatched here awaits to the origin's reply queue.
	 */
	private void replyForNoTask(Map<String, Object> headers) {
		MessageProperties properties = new MessageProperties();
		headers.forEach(properties::setHeader);
		this.origin.getBean(RabbitTemplate.class)
			.send("", this.task.getMessageProperties().getReplyTo(),
					new Message("?".getBytes(StandardCharsets.UTF_8), properties));
	}

	/**
	 * One warning about a reply, and nothing done to the task awaited.
	 */
	private void assertOneWarningOnly(CapturedOutput output, String text) {
		await().atMost(Duration.ofSeconds(30)).until(() -> output.getAll().contains(text));
		assertOneWarning(output, text);
		assertThat(this.future).isNotDone();
	}

	private void finish(Object sequence, String body) {
		this.rogue.reply(this.task, Map.of(TaskMessages.KIND, TaskMessages.Kind.FINISH.name(), TaskMessages.SEQUENCE,
				sequence, TaskMessages.WORKER, 0, TaskMessages.TYPE, Done.class.getName()), body);
	}

	private void assertFailedAndFreed(String reason) {
		await().atMost(Duration.ofSeconds(30)).until(this.future::isDone);
		assertThat(this.future).failsWithin(Duration.ZERO)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining(reason);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.server.stats().taskingNum() == 0);
		assertThat(this.origin.getBean(Handlers.class).finishes).hasValue(0);
	}

	private static void assertOneWarning(CapturedOutput output, String text) {
		assertThat(output.getAll().lines().filter((line) -> line.contains(text))).singleElement()
			.asString()
			.contains("WARN");
		assertThat(output).doesNotContain("ERROR").doesNotContain("\tat ");
	}

}
