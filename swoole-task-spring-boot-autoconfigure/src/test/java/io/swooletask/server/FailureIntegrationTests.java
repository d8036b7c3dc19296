package io.swooletask.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A handler that throws costs only its event: the worker, the connection and the server live on.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureIntegrationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(ThrowingHandlers.class)
		.withBean(RecordingErrorHandler.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.open-eof-split=true");

	@Test
	void throwingTaskReachesTheErrorHandlerAndTheWorkerTakesTheNextTask(CapturedOutput output) {
		this.runner.run((context) -> {
			RecordingErrorHandler errors = context.getBean(RecordingErrorHandler.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("task-throws\r\n").readLine()).isEqualTo("error: task failed on purpose");
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
			}
			assertThat(errors.failures).singleElement().satisfies((failure) -> {
				assertThat(failure.task().data()).isEqualTo("task-throws");
				assertThat(failure.thread()).startsWith("swoole-worker");
			});
			assertThat(context.getBean(SwooleServer.class).stats().taskFailed()).isOne();
			assertThat(output).containsOnlyOnce("task failed on purpose")
				.containsPattern("Task\\[id=1, data=java.lang.String] failed in failureIntegrationTests.ThrowingHandlers.task on task worker 0");
		});
	}

	@Test
	void throwingFinishCostsOnlyThatEvent(CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("finish-throws\r\n");
				await().untilAsserted(() -> assertThat(output).contains("finish failed on purpose"));
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
			}
		});
	}

	@Test
	void throwingReceiveCostsOnlyThatMessage(CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("receive-throws\r\n");
				await().untilAsserted(() -> assertThat(output).contains("receive failed on purpose"));
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
			}
		});
	}

	@Test
	void finishForAVanishedConnectionStillRunsAndItsSendReturnsFalse(CapturedOutput output) {
		this.runner.run((context) -> {
			ThrowingHandlers handlers = context.getBean(ThrowingHandlers.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("wait\r\n");
				await().until(() -> handlers.waiting.getCount() == 0);
				// an abortive close (RST): the client is gone, unlike a half-close (FIN), whose replies are still sent
				client.socket().setSoLinger(true, 0);
			}
			await().until(() -> handlers.closed.size() == 1);
			handlers.release.countDown();
			await().until(() -> handlers.lateSends.size() == 1);
			assertThat(handlers.lateSends).containsExactly(false);
		});
		assertThat(output).doesNotContain(" ERROR ");
	}

	record Failure(Task task, Throwable exception, String thread) {

	}

	static class RecordingErrorHandler implements TaskErrorHandler {

		final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

		@Override
		public void onError(Task task, Connection connection, Throwable exception) {
			this.failures.add(new Failure(task, exception, Thread.currentThread().getName()));
			connection.send("error: " + exception.getMessage() + "\n");
		}

	}

	static class ThrowingHandlers {

		final CountDownLatch waiting = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final Queue<Boolean> lateSends = new ConcurrentLinkedQueue<>();

		final Queue<Long> closed = new ConcurrentLinkedQueue<>();

		@OnReceive
		void receive(SwooleServer server, String data) {
			if (data.equals("receive-throws")) {
				throw new IllegalStateException("receive failed on purpose");
			}
			server.task(data);
		}

		@OnTask
		String task(String data) throws InterruptedException {
			if (data.equals("task-throws")) {
				throw new IllegalStateException("task failed on purpose");
			}
			if (data.equals("wait")) {
				this.waiting.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			if (result.startsWith("finish-throws")) {
				throw new IllegalStateException("finish failed on purpose");
			}
			boolean sent = connection.send(result + "\n");
			if (result.startsWith("wait")) {
				this.lateSends.add(sent);
			}
		}

		@OnClose
		void close(long fd) {
			this.closed.add(fd);
		}

	}

}
