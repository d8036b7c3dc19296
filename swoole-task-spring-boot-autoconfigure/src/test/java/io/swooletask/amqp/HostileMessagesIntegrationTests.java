package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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
 * Malformed and hostile messages published straight to the work queue and to a node's
 * reply queue. Each costs one WARN line, no ERROR and no stack trace; it is settled, so
 * nothing stays unacknowledged; the task it names, if any, ends; no capacity place leaks;
 * and the nodes go on serving a full batch.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileMessagesIntegrationTests {

	private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s+\\d+ --- .*$",
			Pattern.MULTILINE);

	private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at \\S+\\(", Pattern.MULTILINE);

	private static final String JOB = "{\"payload\":\"hostile\",\"sleepMillis\":0}";

	private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to.g1h2AA5yZXBseUAyNzc4MjA2MAAAJBkAAAAAX7ieSA==.xyz";

	private static final String DONE = "{\"text\":\"hostile\",\"node\":\"rogue\"}";

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	static Stream<Hostile> taskMessages() {
		return Stream.of(new Hostile("no headers", JOB, (properties) -> {
		}), new Hostile("a task id and no reply-to", JOB, (properties) -> {
			taskHeaders(properties, 7L);
			properties.setReplyTo(null);
		}), new Hostile("a task id that is not a number", JOB, (properties) -> taskHeaders(properties, "seven")),
				new Hostile("source worker and dispatch time of the wrong types", JOB, (properties) -> {
					taskHeaders(properties, 7L);
					properties.setHeader(TaskMessages.SRC_WORKER, "first");
					properties.setHeader(TaskMessages.DISPATCH_TIME, "yesterday");
				}), new Hostile("a body that is not JSON", "{not json", (properties) -> taskHeaders(properties, 7L)),
				new Hostile("a data type that is not trusted", "{}", (properties) -> {
					taskHeaders(properties, 7L);
					properties.setHeader(TaskMessages.TYPE, ProcessBuilder.class.getName());
				}), new Hostile("a reply-to that is no node's reply queue", "{not json", (properties) -> {
					taskHeaders(properties, 7L);
					properties.setReplyTo(DIRECT_REPLY_TO);
				}));
	}

	static Stream<Hostile> replies() {
		return Stream.of(new Hostile("no headers", DONE, (properties) -> properties.getHeaders().clear()),
				new Hostile("a task id that is not a number", DONE, (properties) -> {
					reply(properties, TaskMessages.Kind.RESULT, 0);
					properties.setHeader(TaskMessages.TASK_ID, "seven");
				}), new Hostile("no kind", DONE, (properties) -> {
					reply(properties, TaskMessages.Kind.RESULT, 0);
					properties.getHeaders().remove(TaskMessages.KIND);
				}), new Hostile("kind, sequence and worker of the wrong types", DONE, (properties) -> {
					reply(properties, TaskMessages.Kind.RESULT, 0);
					properties.setHeader(TaskMessages.KIND, 2);
					properties.setHeader(TaskMessages.SEQUENCE, "first");
					properties.setHeader(TaskMessages.WORKER, "w");
				}),
				new Hostile("sequence 2^31-1", DONE,
						(properties) -> reply(properties, TaskMessages.Kind.FINISH, Integer.MAX_VALUE)),
				new Hostile("sequence 2^32", DONE,
						(properties) -> reply(properties, TaskMessages.Kind.FINISH, 1L << 32)),
				new Hostile("a negative sequence", DONE,
						(properties) -> reply(properties, TaskMessages.Kind.FINISH, -1)),
				new Hostile("a result that is not JSON", "{not json",
						(properties) -> reply(properties, TaskMessages.Kind.FINISH, 1)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("taskMessages")
	void hostileTaskMessageCostsOneWarningAndNothingElse(Hostile hostile, CapturedOutput output) throws Exception {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.shutdown-timeout=3s");
		ConfigurableApplicationContext worker = this.nodes.workerNode("worker", "swoole.server.shutdown-timeout=3s");
		String replyQueue = origin.getBean(AmqpTaskTransport.class).replyQueue();
		int mark = output.getAll().length();
		MessageProperties properties = new MessageProperties();
		properties.setReplyTo(replyQueue);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		hostile.headers().accept(properties);
		send(origin, this.nodes.taskQueue, hostile, properties);
		assertServesABatch(origin);
		assertCostOneWarning(output, mark);
		worker.close();
		origin.close();
		assertThat(RabbitBroker.ready(this.nodes.taskQueue)).as("tasks left unacknowledged").isZero();
		assertThat(RabbitBroker.ready(this.nodes.taskQueue + ".dead")).as("dead letters left unacknowledged").isZero();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("replies")
	void hostileReplyCostsOneWarningAndNothingElse(Hostile hostile, CapturedOutput output) throws Exception {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.shutdown-timeout=3s");
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		CompletableFuture<Done> future = origin.getBean(SwooleServer.class).taskAsync(new Job("real", 0));
		Message task = rogue.take();
		this.nodes.workerNode("worker", "swoole.server.shutdown-timeout=3s");
		int mark = output.getAll().length();
		MessageProperties properties = new MessageProperties();
		properties.setHeader(TaskMessages.TASK_ID, task.getMessageProperties().getHeader(TaskMessages.TASK_ID));
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		hostile.headers().accept(properties);
		String replyQueue = origin.getBean(AmqpTaskTransport.class).replyQueue();
		send(origin, replyQueue, hostile, properties);
		rogue.result(task, Done.class.getName(), "{\"text\":\"real -> OK\",\"node\":\"rogue\"}");
		await().atMost(Duration.ofSeconds(30)).until(future::isDone);
		if (future.isCompletedExceptionally()) {
			assertThat(future).failsWithin(Duration.ZERO)
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.as("the failure of the task the reply names")
				.isInstanceOf(TaskFailedException.class);
		}
		else {
			assertThat(future.join().text()).as("the result of the task the reply names").isEqualTo("real -> OK");
		}
		assertServesABatch(origin);
		assertCostOneWarning(output, mark);
		origin.close();
		assertThat(RabbitBroker.ready(replyQueue)).as("replies left unacknowledged").isZero();
	}

	@Test
	void deadTaskMessageWithAReplyToThatIsNoNodesReplyQueueCostsOneWarningAndNothingElse(CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.shutdown-timeout=3s");
		this.nodes.workerNode("worker", "swoole.server.shutdown-timeout=3s");
		int mark = output.getAll().length();
		MessageProperties properties = new MessageProperties();
		taskHeaders(properties, 7L);
		properties.setHeader(TaskMessages.FIRST_DEATH_REASON, "expired");
		properties.setReplyTo(DIRECT_REPLY_TO);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		send(origin, this.nodes.taskQueue + ".dead", new Hostile("dead", JOB, (ignored) -> {
		}), properties);
		assertServesABatch(origin);
		assertCostOneWarning(output, mark);
		origin.close();
		assertThat(RabbitBroker.ready(this.nodes.taskQueue + ".dead")).as("dead letters left unacknowledged").isZero();
	}

	private static void send(ConfigurableApplicationContext node, String queue, Hostile hostile,
			MessageProperties properties) {
		node.getBean(RabbitTemplate.class)
			.send("", queue, new Message(hostile.body().getBytes(StandardCharsets.UTF_8), properties));
	}

	/**
	 * Serves a batch of more tasks than the worker node takes ahead, each answered once,
	 * and gives back every capacity place.
	 */
	private static void assertServesABatch(ConfigurableApplicationContext origin) throws Exception {
		SwooleServer server = origin.getBean(SwooleServer.class);
		assertThat(new PipelinedLoad(server.port(), 4, 100, "T").start().get(60, TimeUnit.SECONDS)).isEqualTo(400);
		AmqpTaskTransport transport = origin.getBean(AmqpTaskTransport.class);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(transport.counters().awaitingReplies()).isZero());
		assertThat(server.stats().taskingNum()).as("capacity places taken").isZero();
	}

	private static void assertCostOneWarning(CapturedOutput output, int mark) {
		String logged = output.getAll().substring(mark);
		List<String> lines = WARN_OR_ERROR.matcher(logged).results().map(MatchResult::group).toList();
		assertThat(lines).as("WARN and ERROR lines").hasSize(1).allMatch((line) -> line.contains(" WARN "));
		assertThat(STACK_FRAME.matcher(logged).find()).as("a stack trace in:%n%s", logged).isFalse();
	}

	private static void taskHeaders(MessageProperties properties, Object id) {
		properties.setHeader(TaskMessages.TASK_ID, id);
		properties.setHeader(TaskMessages.SRC_WORKER, -1);
		properties.setHeader(TaskMessages.DISPATCH_TIME, System.currentTimeMillis());
		properties.setHeader(TaskMessages.TYPE, Job.class.getName());
	}

	private static void reply(MessageProperties properties, TaskMessages.Kind kind, long sequence) {
		properties.setHeader(TaskMessages.KIND, kind.name());
		properties.setHeader(TaskMessages.SEQUENCE, sequence);
		properties.setHeader(TaskMessages.WORKER, 0);
		properties.setHeader(TaskMessages.TYPE, Done.class.getName());
	}

	/**
	 * A hostile message: what it is, its body, and its headers.
	 */
	record Hostile(String name, String body, Consumer<MessageProperties> headers) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
