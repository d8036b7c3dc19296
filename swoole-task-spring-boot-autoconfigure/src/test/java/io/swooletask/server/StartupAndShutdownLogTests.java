package io.swooletask.server;

import java.time.Duration;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the server says about itself as it starts and stops, as Spring Boot's own servers
 * do, and the defaults it chooses where the user set nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupAndShutdownLogTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=1");

	@Test
	void listeningDrainingAndStoppedAreLoggedOnce(CapturedOutput output) {
		this.runner.withBean(EchoTaskHandlers.class)
			.withPropertyValues("swoole.server.task-worker-num=2")
			.run((context) -> {
				int port = context.getBean(SwooleServer.class).port();
				assertThat(output).containsOnlyOnce("Swoole server listening on 127.0.0.1:" + port
						+ ": 1 event loop, 2 task workers, local transport, framing raw (one message per read)");
				context.close();
				assertThat(output).containsOnlyOnce("Swoole server draining: no new connections, no more reading")
					.containsPattern("Swoole server stopped in \\d+ ms: 0 tasks completed, 0 failed");
			});
	}

	@Test
	void countsOfOneAreSingular(CapturedOutput output) {
		this.runner.withBean(EchoTaskHandlers.class)
			.withPropertyValues("swoole.server.task-worker-num=1")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				try (TestClient client = TestClient.connect(server.port())) {
					client.send("one");
					assertThat(client.readLine()).isEqualTo("one -> OK");
				}
				await().until(() -> server.stats().closeCount() == 1);
				context.close();
				assertThat(output).contains(": 1 event loop, 1 task worker, local transport")
					.containsPattern("draining: no new connections, no more reading; 0 tasks queued, 0 running, 0"
							+ " connections open")
					.containsPattern("Swoole server stopped in \\d+ ms: 1 task completed, 0 failed, 1 connection"
							+ " closed in all");
			});
	}

	@Test
	void taskWorkersUnsetWithATaskHandlerAreOnePerProcessor(CapturedOutput output) {
		this.runner.withBean(EchoTaskHandlers.class).run((context) -> {
			int processors = Runtime.getRuntime().availableProcessors();
			assertThat(context.getBean(SwooleServer.class).stats().taskWorkerNum()).isEqualTo(processors);
			assertThat(output).containsOnlyOnce("swoole.server.task-worker-num is not set: " + processors
					+ " task workers, one per available processor");
			assertThat(context.getBean(SwooleServer.class).<String>taskAsync("x"))
				.succeedsWithin(Duration.ofSeconds(10));
		});
	}

	@Test
	void taskWorkersUnsetWithoutATaskHandlerAreNone(CapturedOutput output) {
		this.runner.withBean(ReceiveOnly.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(SwooleServer.class).stats().taskWorkerNum()).isZero();
			assertThat(output).doesNotContain("task-worker-num is not set");
		});
	}

	@Test
	void aTaskResultNoFinishHandlerTakesIsWarnedOfAtStartUp(CapturedOutput output) {
		this.runner.withBean(EchoTaskHandlers.class).withBean(MailHandlers.class).run((context) -> {
			assertThat(output).containsOnlyOnce("@OnTask method "
					+ "startupAndShutdownLogTests.MailHandlers.send returns " + MailSent.class.getName()
					+ ", which no @OnFinish method takes: its results reach only"
					+ " task(data, callback) and taskAsync. Declare an @OnFinish method taking MailSent for task(data).")
				.doesNotContain("returns java.lang.String, which no @OnFinish");
			SwooleServer server = context.getBean(SwooleServer.class);
			server.task(new Mail("to"));
			await().untilAsserted(() -> assertThat(output).contains("No @OnFinish method takes "
					+ MailSent.class.getName() + "; declared: echoTaskHandlers.finish(String)"));
		});
	}

	record Mail(String to) {

	}

	record MailSent(String to) {

	}

	static class ReceiveOnly {

		@OnReceive
		void receive(String data) {
		}

	}

	static class MailHandlers {

		@OnTask
		MailSent send(Mail mail) {
			return new MailSent(mail.to());
		}

	}

}
