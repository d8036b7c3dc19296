package io.swooletask.server.netty;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.Task;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import io.swooletask.server.TaskOverflow;

/**
 * A throw from the code around a task, not from the task, is logged once with its cause
 * and leaves the task's outcome as it was: an observer or an observation step that
 * throws, or an origin whose loop does not take the task's events.
 */
@ExtendWith(OutputCaptureExtension.class)
class SwallowedFailureTests {

	private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(10);

	private TaskRuntime runtime;

	@AfterEach
	void stop() {
		this.runtime.stop(System.nanoTime());
	}

	@Test
	void observerThrowingWhenATaskStartsIsLoggedAndTheTaskSucceeds(CapturedOutput output) throws Exception {
		this.runtime = runtime(new TaskObserver() {

			@Override
			public void started(Task task, long queueWaitNanos) {
				throw new IllegalStateException("observer down");
			}

		}, MessageObservations.NONE);
		assertThat(dispatch("a", new TaskOrigin(Runnable::run, -1, null, true)).get(10, TimeUnit.SECONDS))
			.isEqualTo("a -> OK");
		assertThat(output).containsOnlyOnce("failed in TaskObserver.started; the task's outcome stands")
			.contains("java.lang.IllegalStateException: observer down");
	}

	@Test
	void observerThrowingWhenATaskEndsIsLoggedAndTheTaskSucceeds(CapturedOutput output) throws Exception {
		this.runtime = runtime(new TaskObserver() {

			@Override
			public void ended(Task task, long executionNanos, boolean failed) {
				throw new IllegalStateException("observer down");
			}

		}, MessageObservations.NONE);
		assertThat(dispatch("a", new TaskOrigin(Runnable::run, -1, null, true)).get(10, TimeUnit.SECONDS))
			.isEqualTo("a -> OK");
		assertThat(output).containsOnlyOnce("failed in TaskObserver.ended; the task's outcome stands")
			.contains("java.lang.IllegalStateException: observer down");
	}

	@Test
	void observationStepThrowingOnCloseIsLoggedAndTheTaskSucceeds(CapturedOutput output) throws Exception {
		this.runtime = runtime(TaskObserver.NONE, new MessageObservations() {

			@Override
			public Step task(Task task, String handler, Object parent, long queueWaitNanos) {
				return new Step() {

					@Override
					public void error(Throwable error) {
					}

					@Override
					public void close() {
						throw new IllegalStateException("tracer down");
					}

				};
			}

		});
		assertThat(dispatch("a", new TaskOrigin(Runnable::run, -1, null, true)).get(10, TimeUnit.SECONDS))
			.isEqualTo("a -> OK");
		assertThat(output).containsOnlyOnce("failed in closing its observation; the task's outcome stands")
			.contains("java.lang.IllegalStateException: tracer down");
	}

	@Test
	void failureTheOriginDoesNotTakeIsLoggedCountedAndFailsTheFuture(CapturedOutput output) {
		this.runtime = runtime(TaskObserver.NONE, MessageObservations.NONE);
		TaskOrigin origin = new TaskOrigin(refusing(), -1, null, true);
		assertThat(dispatch(new Fail(), origin)).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.withMessage("loop refuses");
		await().until(() -> origin.inFlight() == 0);
		assertThat(this.runtime.counters().droppedFinishes()).isOne();
		assertThat(output).containsOnlyOnce("is dropped: its event loop did not take it");
		assertThat(dispatch("after", new TaskOrigin(Runnable::run, -1, null, true))).succeedsWithin(OUTCOME_TIMEOUT)
			.isEqualTo("after -> OK");
	}

	@Test
	void resultTheOriginDoesNotTakeIsLoggedAndCounted(CapturedOutput output) {
		this.runtime = runtime(TaskObserver.NONE, MessageObservations.NONE);
		TaskOrigin origin = new TaskOrigin(refusing(), -1, null, true);
		this.runtime.dispatch("a", -1, origin, null);
		await().until(() -> origin.inFlight() == 0);
		assertThat(this.runtime.counters().droppedFinishes()).isOne();
		assertThat(this.runtime.counters().failed()).isZero();
		assertThat(output).containsOnlyOnce("is dropped: its event loop did not take it");
	}

	private CompletableFuture<Object> dispatch(Object data, TaskOrigin origin) {
		CompletableFuture<Object> future = new CompletableFuture<>();
		this.runtime.dispatch(data, -1, origin, future);
		return future;
	}

	/**
	 * An executor that refuses every event with an exception other than a rejection.
	 */
	private static Executor refusing() {
		return (command) -> {
			throw new IllegalStateException("loop refuses");
		};
	}

	private static TaskRuntime runtime(TaskObserver observer, MessageObservations observations) {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		TaskRuntime runtime = new TaskRuntime(null, new ConnectionRegistry(1, true, 0), processor.handlers(), null,
				new TaskWorkerSettings(1, 0, 0, TaskWorkerSettings.WorkerThreads.platform(), 16,
						TaskOverflow.BACKPRESSURE, TimeUnit.SECONDS.toNanos(1), 1, true),
				() -> {
				}, observer, observations, TaskRuntime.local());
		runtime.start();
		return runtime;
	}

	record Fail() {

	}

	static class Handlers {

		@OnTask
		String text(String data) {
			return data + " -> OK";
		}

		@OnTask
		String fail(Fail fail) {
			throw new IllegalArgumentException("task failed");
		}

	}

}
