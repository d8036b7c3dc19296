package io.swooletask.attack;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: with swoole.server.shutdown=immediate the deadline is the start of the
 * shutdown, yet TaskRuntime.stop's WARN blames the tasks left on
 * "(swoole.server.shutdown-timeout)", a setting that played no part: an operator is sent
 * to raise a timeout that would change nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class AttackImmediateShutdownTests {

	@Test
	void theUnfinishedTasksWarningOfAnImmediateShutdownDoesNotBlameTheShutdownTimeout(CapturedOutput output) {
		CountDownLatch release = new CountDownLatch(1);
		try {
			SwooleContextRunner.create()
				.withBean(Handlers.class)
				.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
						"swoole.server.shutdown=immediate")
				.run((context) -> {
					SwooleServer server = context.getBean(SwooleServer.class);
					server.taskAsync(release);
					await().until(() -> server.stats().taskRunning() == 1);
					server.taskAsync("queued");
					CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
					await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
					assertThat(output).contains("tasks unfinished at shutdown")
						.doesNotContain("(swoole.server.shutdown-timeout)");
				});
		}
		finally {
			release.countDown();
		}
	}

	/**
	 * Attack: GracefulShutdown.releaseLoops subscribes to disposeLater(Duration.ZERO,
	 * Duration.ZERO) without an error consumer; the Mono fails with "LoopResources
	 * couldn't be disposed within 0ms", and Reactor logs it at ERROR with a stack trace
	 * (onErrorDropped, ErrorCallbackNotImplemented) on every immediate shutdown, even one
	 * with nothing left to do.
	 */
	@Test
	void anImmediateShutdownWithNothingToDoLogsNoError(CapturedOutput output) {
		SwooleContextRunner.create()
			.withBean(Handlers.class)
			.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
					"swoole.server.shutdown=immediate")
			.run((context) -> {
				CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
				await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
				// the dropped error is logged on a Reactor thread just after
				Thread.sleep(1000);
				assertThat(output).doesNotContain("onErrorDropped").doesNotContain("couldn't be disposed");
			});
	}

	static class Handlers {

		@OnReceive
		void receive(String data) {
		}

		@OnTask
		String blocked(CountDownLatch release) throws InterruptedException {
			release.await();
			return "released";
		}

		@OnTask
		String task(String data) {
			return data;
		}

	}

}
