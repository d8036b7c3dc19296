package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown drains queued tasks and delivers their replies before connections
 * close; at its edges, a {@code task()} racing it is run or refused, and a task that
 * outlives its deadline is logged and its finish dropped.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ShutdownHandlers.class)
		.withPropertyValues("swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true");

	/** One event loop and a short deadline, for the edges of a shutdown. */
	private final ApplicationContextRunner edges = this.runner.withPropertyValues("swoole.server.worker-num=1",
			"swoole.server.shutdown-timeout=200ms");

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
			assertThat(failed).isNotEmpty()
				.allSatisfy((future) -> assertThat(future).failsWithin(0, TimeUnit.SECONDS)
					.withThrowableOfType(Exception.class)
					.havingCause()
					.isInstanceOf(ServerShutdownException.class));
			assertThat(output)
				.containsPattern("\\d+ tasks unfinished at shutdown: \\d+ queued will not run \\(.*\\), \\d+ still"
						+ " running \\(swoole.server.shutdown-timeout\\)");
		});
	}

	@RepeatedTest(5)
	void aTaskRacingTheShutdownEitherEndsOrIsRefused() throws Exception {
		ConcurrentLinkedQueue<CompletableFuture<Object>> futures = new ConcurrentLinkedQueue<>();
		ExecutorService callers = Executors.newFixedThreadPool(3);
		try {
			this.edges.run((context) -> {
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
		this.edges.run((context) -> {
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
			this.edges.run((context) -> {
				NettySwooleServer server = context.getBean(NettySwooleServer.class);
				CompletableFuture<Object> outliving = server.taskAsync(release);
				server.task(release);
				// both must be running, not queued, when the stop begins: a queued one is
				// failed, not dropped
				await().until(() -> server.stats().taskRunning() == 2);
				context.close();
				release.countDown();
				await().until(() -> server.droppedFinishes() == 2);
				assertThat(outliving).isCompletedExceptionally();
				assertThat(server.stats().taskingNum()).as("places taken after the stop").isZero();
			});
		}
		finally {
			release.countDown();
		}
		assertThat(output).containsOnlyOnce("tasks unfinished at shutdown")
			.doesNotContain("RejectedExecutionException");
	}

	record Slow(long millis) {

	}

	static class ShutdownHandlers {

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
		void finish(Connection connection, String result) {
			if (connection != null) {
				connection.send(result + "\n");
			}
		}

		@OnFinish
		void finishNumber(Integer result) {
		}

	}

}
