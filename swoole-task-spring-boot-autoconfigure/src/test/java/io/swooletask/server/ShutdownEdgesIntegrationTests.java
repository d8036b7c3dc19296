package io.swooletask.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.server.netty.NettySwooleServer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The edges of a shutdown: a {@code task()} racing it, and a task that outlives its deadline.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownEdgesIntegrationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(Handlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=1", "swoole.server.task-worker-num=2",
				"swoole.server.shutdown-timeout=200ms");

	@RepeatedTest(5)
	void aTaskRacingTheShutdownEitherEndsOrIsRefused(CapturedOutput output) throws Exception {
		ConcurrentLinkedQueue<CompletableFuture<Object>> futures = new ConcurrentLinkedQueue<>();
		ExecutorService callers = Executors.newFixedThreadPool(3);
		try {
			this.runner.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				CountDownLatch started = new CountDownLatch(3);
				List<Future<?>> loops = IntStream.range(0, 3).<Future<?>>mapToObj((n) -> callers.submit(() -> {
					started.countDown();
					for (int i = 0; i < 1_000_000; i++) {
						try {
							futures.add(server.taskAsync(i));
						}
						catch (ServerShutdownException ex) {
							return;
						}
					}
				})).toList();
				started.await();
				await().until(() -> server.stats().taskCount() > 1000);
				context.close();
				for (Future<?> loop : loops) {
					loop.get(30, TimeUnit.SECONDS);
				}
				assertThat(server.stats().taskingNum()).as("places taken after the stop").isZero();
			});
			await().atMost(Duration.ofSeconds(30)).until(() -> futures.stream().allMatch(CompletableFuture::isDone));
			assertThat(futures).isNotEmpty();
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void aStoppedServerDoesNotStartAgain() {
		this.runner.run((context) -> {
			NettySwooleServer server = context.getBean(NettySwooleServer.class);
			server.stop();
			assertThatIllegalStateException().isThrownBy(server::startTasks)
				.withMessageContaining("has stopped; it does not start again");
			assertThat(server.isRunning()).isFalse();
		});
	}

	@Test
	void aTaskOutlivingTheDeadlineIsLoggedOnceAndItsLateFinishIsDroppedAndCounted(CapturedOutput output) {
		CountDownLatch release = new CountDownLatch(1);
		try {
			this.runner.run((context) -> {
				NettySwooleServer server = context.getBean(NettySwooleServer.class);
				CompletableFuture<Object> outliving = server.taskAsync(release);
				await().until(() -> server.stats().taskRunning() == 1);
				server.task(release);
				context.close();
				release.countDown();
				await().until(() -> server.monitor().taskCounters().droppedFinishes() == 2);
				assertThat(outliving).isCompletedExceptionally();
				assertThat(server.stats().taskingNum()).as("places taken after the stop").isZero();
			});
		}
		finally {
			release.countDown();
		}
		assertThat(output).containsOnlyOnce("tasks unfinished at shutdown").doesNotContain("RejectedExecutionException");
	}

	static class Handlers {

		@OnReceive
		void receive(String data) {
		}

		@OnTask
		Integer number(Integer data) {
			return data;
		}

		@OnTask
		String outlive(CountDownLatch release) throws InterruptedException {
			release.await();
			return "late";
		}

		@OnFinish
		void finish(Object result) {
		}

	}

}
