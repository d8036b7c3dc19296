package io.swooletask.server.netty;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.Task;
import io.swooletask.server.TaskOverflow;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A task finishes a result, then its origin's loop begins to stop (it refuses new events
 * but still runs the ones it took, as Netty's graceful shutdown does) before the task
 * ends: the result it took wins, and so does a failure it took; the end, which has
 * nothing left to tell a future that has its result coming, is not a dropped event that
 * fails the future first.
 */
class FinishThenEndOnStoppingLoopTests {

	/**
	 * Takes one event, then stops: refuses new ones, and runs what it took when drained.
	 */
	static final class StoppingLoop implements Executor {

		final Queue<Runnable> taken = new ConcurrentLinkedQueue<>();

		volatile boolean stopping;

		@Override
		public void execute(Runnable command) {
			if (this.stopping) {
				throw new RejectedExecutionException("stopping");
			}
			this.stopping = true;
			this.taken.add(command);
		}

		void drain() {
			for (Runnable r = this.taken.poll(); r != null; r = this.taken.poll()) {
				r.run();
			}
		}

	}

	static volatile StoppingLoop loop;

	private TaskRuntime runtime;

	@AfterEach
	void stop() {
		this.runtime.stop(System.nanoTime());
	}

	@Test
	void aResultTakenBeforeTheLoopStopsCompletesTheFuture() {
		CompletableFuture<Object> future = dispatch("data");
		assertThat(future).isCompletedWithValue("finished data");
		assertThat(this.runtime.counters().droppedFinishes()).as("events dropped").isZero();
	}

	@Test
	void aFailureTakenBeforeTheLoopStopsFailsTheFutureWithIt() {
		CompletableFuture<Object> future = dispatch(42);
		assertThat(future).isCompletedExceptionally();
		assertThatThrownBy(future::join).hasCauseInstanceOf(IllegalArgumentException.class)
			.hasRootCauseMessage("deliberate 42");
		assertThat(this.runtime.counters().droppedFinishes()).as("events dropped").isZero();
	}

	private CompletableFuture<Object> dispatch(Object data) {
		loop = new StoppingLoop();
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		this.runtime = new TaskRuntime(null, new ConnectionRegistry(1, true, 0), processor.handlers(), null,
				new TaskWorkerSettings(1, 0, 0, TaskWorkerSettings.WorkerThreads.platform(), 16,
						TaskOverflow.BACKPRESSURE, TimeUnit.SECONDS.toNanos(1), 1, true),
				() -> {
				}, TaskObserver.NONE, MessageObservations.NONE, TaskRuntime.local());
		this.runtime.start();
		TaskOrigin origin = new TaskOrigin(loop, -1, null, true);
		CompletableFuture<Object> future = new CompletableFuture<>();
		this.runtime.dispatch(data, -1, origin, future);
		await().atMost(Duration.ofSeconds(10)).until(() -> origin.inFlight() == 0);
		loop.drain();
		return future;
	}

	static class Handlers {

		@OnTask
		String finishThenEnd(Task task, String data) {
			task.finish("finished " + data);
			return null;
		}

		@OnTask
		String failAfterTheLoopTookNothing(Integer data) {
			throw new IllegalArgumentException("deliberate " + data);
		}

	}

}
