package io.swooletask.server;

import java.time.Duration;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with {@code @OnTask} methods and no {@code @OnReceive} method, as a web
 * application that hands work to the task pool: the pool runs and no port is bound.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskPoolWithoutListenerTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2");

	@Test
	void taskMethodsWithoutAReceiveMethodStartThePoolWithoutAPort(CapturedOutput output) {
		this.runner.withBean(TaskOnly.class).run((context) -> {
			assertThat(context).hasNotFailed();
			NettySwooleServer server = context.getBean(NettySwooleServer.class);
			assertThat(server.address()).isNull();
			assertThat(server.<String>taskwait("mail", Duration.ofSeconds(10))).isEqualTo("mail sent");
			assertThat(output.getAll().lines().filter((line) -> line.contains("no @OnReceive method is declared")))
				.singleElement()
				.asString()
				.contains("INFO")
				.contains("2 task workers")
				.contains("no port is bound");
			assertThat(output).doesNotContain("which no @OnFinish method takes");
		});
	}

	@Test
	void noReceiveAndNoTaskMethodFailsNamingBothFixes() {
		this.runner.withPropertyValues("swoole.server.task-worker-num=0")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HandlerDefinitionException.class)
				.hasMessageContaining("Neither an @OnReceive nor an @OnTask method is declared")
				.hasMessageContaining("Declare an @OnReceive method for a TCP server, @OnTask methods for a task pool,"
						+ " or set swoole.server.enabled=false"));
	}

	@Test
	void listenOffStartsThePoolWithoutSayingItTwice(CapturedOutput output) {
		this.runner.withBean(TaskOnly.class).withPropertyValues("swoole.server.listen=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NettySwooleServer.class).address()).isNull();
			assertThat(output).containsOnlyOnce("without a listener (swoole.server.listen=false)")
				.doesNotContain("no @OnReceive method is declared");
		});
	}

	static class TaskOnly {

		@OnTask
		String send(String mail) {
			return mail + " sent";
		}

	}

}
