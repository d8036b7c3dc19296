package io.swooletask.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 * Graceful shutdown drains queued tasks and delivers their replies before connections close.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownIntegrationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(SlowHandlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true");

	@Test
	void everyQueuedTaskIsAnsweredBeforeTheConnectionCloses() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				StringBuilder requests = new StringBuilder();
				for (int i = 0; i < 1000; i++) {
					requests.append(i).append("\r\n");
				}
				client.send(requests.toString());
				await().until(() -> server.stats().taskCount() == 1000);
				assertThat(server.stats().taskingNum()).isPositive();
				Thread closer = new Thread(context::close, "closer");
				closer.start();
				Set<String> replies = new HashSet<>();
				for (String reply = client.readLine(); reply != null; reply = client.readLine()) {
					replies.add(reply);
				}
				closer.join(30_000);
				assertThat(closer.isAlive()).as("the context is still closing after 30 s").isFalse();
				assertThat(replies).hasSize(1000).contains("0 -> OK", "999 -> OK");
				assertThat(server.stats().taskingNum()).as("places taken after the stop").isZero();
			}
		});
	}

	@Test
	void tasksUnfinishedAtTheTimeoutAreLoggedAndTheirFuturesFail(CapturedOutput output) {
		this.runner.withPropertyValues("swoole.server.shutdown-timeout=100ms").run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			List<CompletableFuture<Object>> futures = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				futures.add(server.taskAsync(new Slow(10)));
			}
			context.close();
			await().until(() -> futures.stream().allMatch(CompletableFuture::isDone));
			assertThat(server.stats().taskingNum()).as("places taken after the stop").isZero();
			List<CompletableFuture<Object>> failed = futures.stream()
				.filter(CompletableFuture::isCompletedExceptionally)
				.toList();
			assertThat(failed).isNotEmpty().allSatisfy((future) -> assertThat(future)
				.failsWithin(0, TimeUnit.SECONDS)
				.withThrowableOfType(Exception.class)
				.havingCause()
				.isInstanceOf(ServerShutdownException.class));
			assertThat(output).containsPattern("\\d+ tasks unfinished at shutdown: \\d+ queued will not run \\(.*\\), \\d+ still"
					+ " running \\(swoole.server.shutdown-timeout\\)");
		});
	}

	record Slow(long millis) {

	}

	static class SlowHandlers {

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(String data) {
			// slow work: the queue must still hold tasks when the shutdown begins
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
			return data + " -> OK";
		}

		@OnTask
		String slow(Slow slow) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(slow.millis()));
			return "slow";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			if (connection != null) {
				connection.send(result + "\n");
			}
		}

	}

}
