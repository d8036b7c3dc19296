package io.swooletask.amqp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.micrometer.core.instrument.MeterRegistry;

import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dispatching node reads a result only into a type the application declares or
 * trusts, whatever class the reply names.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutResultTypeTests {

	private static final String INTRUDER = "{\"text\":\"in\"}";

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void resultOfATypeNeitherDeclaredNorTrustedIsRefusedLoggedOnceAndCounted(CapturedOutput output) {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		CompletableFuture<Object> future = origin.getBean(SwooleServer.class).taskAsync(new Job("in", 0));
		Message task = rogue.take();
		rogue.reply(task, finish(TaskMessages.Kind.FINISH, 0), INTRUDER);
		// the refused finish ends the task: the result after it is dropped unread
		rogue.reply(task, finish(TaskMessages.Kind.RESULT, 1), INTRUDER);
		assertThat(future).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining(Intruder.class.getName())
			.withMessageContaining("swoole.server.amqp.trusted-packages");
		MeterRegistry meters = origin.getBean(MeterRegistry.class);
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> meters.get("swoole.amqp.results.refused").functionCounter().count() == 1);
		assertThat(output).containsOnlyOnce("Results of type " + Intruder.class.getName() + " are not read");
	}

	@Test
	void resultOfATrustedPackageIsRead() {
		ConfigurableApplicationContext origin = this.nodes
			.tcpNode("swoole.server.amqp.trusted-packages=" + Intruder.class.getPackageName());
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		CompletableFuture<Object> future = origin.getBean(SwooleServer.class).taskAsync(new Job("in", 0));
		rogue.result(rogue.take(), Intruder.class.getName(), INTRUDER);
		assertThat(future).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(new Intruder("in"));
	}

	@Test
	void resultListOfJdkValuesIsReadAsAList() {
		ConfigurableApplicationContext origin = this.nodes.tcpNode();
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		CompletableFuture<Object> future = origin.getBean(SwooleServer.class).taskAsync(new Job("list", 0));
		rogue.result(rogue.take(), List.of("a", "b").getClass().getName(), "[\"a\",\"b\"]");
		assertThat(future).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(List.of("a", "b"));
	}

	private static Map<String, Object> finish(TaskMessages.Kind kind, int sequence) {
		return Map.of(TaskMessages.KIND, kind.name(), TaskMessages.SEQUENCE, sequence, TaskMessages.WORKER, 0,
				TaskMessages.TYPE, Intruder.class.getName());
	}

	/** A type on the class path that no handler method of the application declares. */
	record Intruder(String text) {
	}

}
