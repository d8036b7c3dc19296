package io.swooletask.amqp;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.amqp.polymorphic.Envelope.Note;
import io.swooletask.amqp.polymorphic.Envelope;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.TaskFailedException;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trusted result type that lets its JSON name the class of a field: the JSON does not
 * get to choose a class that is not trusted.
 */
@ExtendWith(OutputCaptureExtension.class)
class PolymorphicResultTypeTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void untrustedClassNamedInsideATrustedResultIsRefused(CapturedOutput output) {
		CompletableFuture<Object> future = send(
				"{\"content\":{\"@class\":\"" + Intruder.class.getName() + "\",\"text\":\"in\"}}");
		assertThat(future).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskFailedException.class)
			.withMessageContaining(Intruder.class.getName());
		assertThat(output).containsOnlyOnce("Results of type " + Intruder.class.getName() + " are not read");
	}

	@Test
	void trustedClassNamedInsideATrustedResultIsRead() {
		CompletableFuture<Object> future = send(
				"{\"content\":{\"@class\":\"" + Note.class.getName() + "\",\"text\":\"in\"}}");
		assertThat(future).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(new Envelope(new Note("in")));
	}

	private CompletableFuture<Object> send(String json) {
		ConfigurableApplicationContext origin = this.nodes
			.tcpNode("swoole.server.amqp.trusted-packages=" + Envelope.class.getPackageName());
		RogueWorker rogue = new RogueWorker(origin.getBean(RabbitTemplate.class), this.nodes.taskQueue);
		CompletableFuture<Object> future = origin.getBean(SwooleServer.class).taskAsync(new Job("in", 0));
		rogue.result(rogue.take(), Envelope.class.getName(), json);
		return future;
	}

	/** A class no handler declares and no trusted package holds. */
	record Intruder(String text) implements Envelope.Content {
	}

}
