package io.swooletask.server.netty;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.swooletask.annotation.OnTask;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.BackendTask;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings.WorkerThreads;
import io.swooletask.task.TaskWorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import io.swooletask.server.TaskOverflow;

/**
 * What a task holds is given back, and a task gets its outcome, when something throws
 * where nothing should: an {@link Error} out of the backend's submit, or a task worker
 * that cannot start the thread that should take its place.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskFailureAccountingTests {

	private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(10);

	private final TaskOrigin origin = new TaskOrigin(Runnable::run, -1, null, true);

	private TaskRuntime runtime;

	@AfterEach
	void stop() {
		if (this.runtime != null) {
			this.runtime.stop(System.nanoTime());
		}
	}

	@Test
	void errorThrownWhileSubmittingGivesThePlaceBack() {
		this.runtime = runtime(settings(0, WorkerThreads.platform()),
				(context) -> new ErrorOnSubmit(TaskRuntime.local().create(context)));
		assertThatExceptionOfType(NoClassDefFoundError.class).isThrownBy(() -> dispatch("data", -1));
		assertThat(this.runtime.counters().queued()).as("places taken").isZero();
		assertThat(this.origin.inFlight()).as("tasks in flight from the origin").isZero();
	}

	@Test
	void targetedTasksRunWhenNoThreadCanReplaceARetiringWorker(CapturedOutput output) throws Exception {
		this.runtime = runtime(settings(1, failingAfter(2)), TaskRuntime.local());
		for (int i = 0; i < 3; i++) {
			assertThat(dispatch("t" + i, 0).get(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.isEqualTo("t" + i + " -> OK");
		}
		assertThat(this.runtime.counters().queued()).as("places taken").isZero();
		assertThat(output).contains("Task worker 0 could not start a new thread to retire its thread after 1 tasks;"
				+ " that thread carries on");
	}

	@Test
	void targetedTasksRunWhenNoThreadCanReplaceAWorkerEndedByAnError(CapturedOutput output) throws Exception {
		this.runtime = runtime(settings(0, failingAfter(2)), TaskRuntime.local());
		assertThat(dispatch(new Overflow(), 0)).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(StackOverflowError.class);
		assertThat(dispatch("after", 0).get(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("after -> OK");
		assertThat(this.runtime.counters().queued()).as("places taken").isZero();
		assertThat(output).contains("Task worker 0 could not start a new thread in place of its thread ended by"
				+ " java.lang.StackOverflowError: deliberate; that thread carries on");
	}

	private CompletableFuture<Object> dispatch(Object data, int dstWorkerId) {
		CompletableFuture<Object> future = new CompletableFuture<>();
		this.runtime.dispatch(data, dstWorkerId, this.origin, future);
		return future;
	}

	private static TaskRuntime runtime(TaskWorkerSettings settings, TaskBackend.Factory backend) {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		TaskRuntime runtime = new TaskRuntime(null, new ConnectionRegistry(1, true, 0), processor.handlers(), null,
				settings, () -> {
				}, TaskObserver.NONE, MessageObservations.NONE, backend);
		runtime.start();
		return runtime;
	}

	private static TaskWorkerSettings settings(int maxRequest, WorkerThreads threads) {
		return new TaskWorkerSettings(2, maxRequest, 0, threads, 16, TaskOverflow.BACKPRESSURE,
				TimeUnit.SECONDS.toNanos(1), 1, true);
	}

	/**
	 * Platform threads, until the machine can start no more.
	 */
	private static WorkerThreads failingAfter(int threads) {
		AtomicInteger created = new AtomicInteger();
		return (workerId, body) -> {
			if (created.incrementAndGet() > threads) {
				throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource"
						+ " limits reached");
			}
			return WorkerThreads.platform().newThread(workerId, body);
		};
	}

	record Overflow() {

	}

	static class Handlers {

		@OnTask
		String text(String data) {
			return data + " -> OK";
		}

		@OnTask
		String overflow(Overflow overflow) {
			throw new StackOverflowError("deliberate");
		}

	}

	/**
	 * The local pool, behind a submit that throws an {@link Error}, as a backend whose
	 * classes cannot be linked would.
	 */
	private record ErrorOnSubmit(TaskBackend backend) implements TaskBackend {

		@Override
		public void submit(BackendTask task) {
			throw new NoClassDefFoundError("deliberate: a class the backend needs");
		}

		@Override
		public void start() {
			this.backend.start();
		}

		@Override
		public void checkTarget(int dstWorkerId) {
			this.backend.checkTarget(dstWorkerId);
		}

		@Override
		public int workerNum() {
			return this.backend.workerNum();
		}

		@Override
		public int running() {
			return this.backend.running();
		}

		@Override
		public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
			return this.backend.awaitIdle(timeout, unit);
		}

		@Override
		public boolean isIdle() {
			return this.backend.isIdle();
		}

		@Override
		public boolean isAlive() {
			return this.backend.isAlive();
		}

		@Override
		public List<BackendTask> runningTasks() {
			return this.backend.runningTasks();
		}

		@Override
		public List<BackendTask> stop(long deadlineNanos) {
			return this.backend.stop(deadlineNanos);
		}

		@Override
		public Map<String, Object> details() {
			return this.backend.details();
		}

	}

}
