package io.swooletask.server.netty;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.swooletask.annotation.OnTask;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.swooletask.server.TaskOverflow;

/**
 * A task whose finish event is handed to its origin's event loop while that loop shuts
 * down: the loop runs the event or refuses it, and a refused one fails the task's future,
 * so no future is left pending. Netty's executor checks for its shutdown after it queued
 * an event, but the task queue of its I/O loops cannot take the event back, so an event
 * queued as the loop terminates may be neither run nor refused; this shows that
 * {@link FinishDelivery} fails the future of such an event once the loop has terminated
 * ({@link FinishQueuedOnTerminatedLoopTests} forces that interleaving). Each round stops
 * a real event loop at a random moment, drawn from a seed that is printed
 * ({@code -Dswoole.loopstop.seed=} replays the moments, not the interleavings).
 */
@ExtendWith(OutputCaptureExtension.class)
class FinishOnStoppingLoopTests {

	private static final int ROUNDS = 200;

	private static final int TASKS = 20;

	private static final Long SEED = Long.getLong("swoole.loopstop.seed");

	private TaskRuntime runtime;

	@BeforeEach
	void start() {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		this.runtime = new TaskRuntime(null, new ConnectionRegistry(1, true, 0), processor.handlers(), null,
				new TaskWorkerSettings(2, 0, 0, TaskWorkerSettings.WorkerThreads.platform(), ROUNDS * TASKS,
						TaskOverflow.BACKPRESSURE, TimeUnit.SECONDS.toNanos(1), 1, true),
				() -> {
				}, TaskObserver.NONE, MessageObservations.NONE, TaskRuntime.local());
		this.runtime.start();
	}

	@AfterEach
	void stop() {
		this.runtime.stop(System.nanoTime());
	}

	@Test
	void everyFinishHandedToAStoppingLoopRunsOrFailsTheFuture(CapturedOutput output) {
		long seed = (SEED != null) ? SEED : new Random().nextLong();
		System.out
			.println("FinishOnStoppingLoopTests seed " + seed + " (replay with -Dswoole.loopstop.seed=" + seed + ")");
		Random random = new Random(seed);
		Map<String, CompletableFuture<Object>> futures = new LinkedHashMap<>();
		for (int round = 0; round < ROUNDS; round++) {
			MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
			IoEventLoop loop = group.next();
			TaskOrigin origin = new TaskOrigin(loop, -1, null, true);
			int stopAfter = random.nextInt(TASKS);
			long stopDelayNanos = random.nextInt(200_000);
			for (int i = 0; i < TASKS; i++) {
				if (i == stopAfter) {
					LockSupport.parkNanos(stopDelayNanos);
					group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
				}
				String data = "r" + round + "t" + i;
				CompletableFuture<Object> future = new CompletableFuture<>();
				futures.put(data, future);
				this.runtime.dispatch(data, -1, origin, future);
			}
			assertThat(group.terminationFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.runtime.isIdle());
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertNoneLeftPending(futures, output));
		assertThat(futures.values()).as("each task's future, answered or failed")
			.allMatch(CompletableFuture::isDone)
			.anyMatch((future) -> !future.isCompletedExceptionally())
			.anyMatch(CompletableFuture::isCompletedExceptionally);
		assertThat(output).as("Netty's warning of events a loop never ran")
			.doesNotContain("terminated with non-empty task queue");
	}

	/**
	 * Names the tasks, by their data (round and index), whose future is neither answered
	 * nor failed, with what else tells where their events went.
	 */
	private void assertNoneLeftPending(Map<String, CompletableFuture<Object>> futures, CapturedOutput output) {
		List<String> pending = futures.entrySet()
			.stream()
			.filter((entry) -> !entry.getValue().isDone())
			.map(Map.Entry::getKey)
			.toList();
		assertThat(pending)
			.as("%d of %d futures never completed (the first: %s); events dropped: %d; Netty warned of a"
					+ " non-empty task queue: %s", pending.size(), futures.size(),
					pending.subList(0, Math.min(5, pending.size())), this.runtime.counters().droppedFinishes(),
					output.toString().contains("terminated with non-empty task queue"))
			.isEmpty();
	}

	static class Handlers {

		@OnTask
		String text(String data) {
			return data + " -> OK";
		}

	}

}
