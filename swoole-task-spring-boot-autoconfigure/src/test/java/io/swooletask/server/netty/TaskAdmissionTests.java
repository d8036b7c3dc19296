package io.swooletask.server.netty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.TaskOverflow;
import io.swooletask.server.TaskRejectedException;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.BackendTask;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * How {@link TaskAdmission} takes a place in {@code task-queue-capacity} for a task, by
 * the overflow policy and the kind of the calling thread, over a backend that holds the
 * tasks it is given, so that the queue stays as full as the test makes it.
 */
class TaskAdmissionTests {

	private static final int CAPACITY = 2;

	/** Long enough that a test would not pass by the wait running out. */
	private static final long LONG_WAIT = TimeUnit.MINUTES.toNanos(5);

	private static final long SHORT_WAIT = TimeUnit.MILLISECONDS.toNanos(50);

	private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(30);

	private final EventExecutor originLoop = new DefaultEventExecutor();

	private final EventExecutor otherLoop = new DefaultEventExecutor();

	private final TaskOrigin origin = new TaskOrigin(this.originLoop, 0, null, true);

	private HeldBackend backend;

	/** The last thread the test started. */
	private final AtomicReference<Thread> waiter = new AtomicReference<>();

	private TaskRuntime runtime;

	@AfterEach
	void stop() {
		if (this.runtime != null) {
			this.runtime.stop(System.nanoTime());
		}
		this.originLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		this.otherLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
	}

	@Test
	void rejectRefusesAFullQueueOnAThreadThatMayWait() {
		// were it to wait, it would be refused for the timeout, with another message
		fullRuntime(TaskOverflow.REJECT, SHORT_WAIT);
		assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(this::dispatch)
			.withMessageContaining("swoole.server.task-queue-capacity=" + CAPACITY)
			.withMessageContaining("swoole.server.task-overflow=reject");
	}

	@Test
	void rejectRefusesAFullQueueOnTheOriginLoop() {
		fullRuntime(TaskOverflow.REJECT, LONG_WAIT);
		assertThat(outcomeOn(this.originLoop)).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskRejectedException.class)
			.withMessageContaining("swoole.server.task-queue-capacity=" + CAPACITY)
			.withMessageContaining("swoole.server.task-overflow=reject");
		assertThat(this.runtime.readingPaused()).isFalse();
	}

	@Test
	void rejectRefusesAFullQueueOnATaskWorker() {
		fullRuntime(TaskOverflow.REJECT, LONG_WAIT);
		assertThat(outcomeOnTaskWorker()).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskRejectedException.class)
			.withMessageContaining("swoole.server.task-overflow=reject");
	}

	@Test
	void backpressureOnTheOriginLoopTakesAPlacePastTheCapacityAndPausesReading() {
		fullRuntime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		assertThat(outcomeOn(this.originLoop)).succeedsWithin(OUTCOME_TIMEOUT);
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY + 1);
		assertThat(this.runtime.readingPaused()).isTrue();
	}

	@Test
	void backpressureOnATaskWorkerTakesAPlacePastTheCapacityAndPausesReading() {
		fullRuntime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		assertThat(outcomeOnTaskWorker()).succeedsWithin(OUTCOME_TIMEOUT);
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY + 1);
		assertThat(this.runtime.readingPaused()).isTrue();
	}

	@Test
	void backpressureOnAReactorNonBlockingThreadRefusesAFullQueue() {
		fullRuntime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		CompletableFuture<Long> outcome = Mono.fromCallable(this::dispatch)
			.subscribeOn(Schedulers.parallel())
			.toFuture();
		assertThat(outcome).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskRejectedException.class)
			.withMessageContaining("must not block")
			.withMessageContaining("swoole.server.task-queue-capacity=" + CAPACITY);
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY);
	}

	@Test
	void backpressureOnAnEventLoopOtherThanTheOriginsRefusesAFullQueue() {
		fullRuntime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		assertThat(outcomeOn(this.otherLoop)).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(TaskRejectedException.class)
			.withMessageContaining("must not block")
			.withMessageContaining("swoole.server.task-queue-capacity=" + CAPACITY);
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY);
		assertThat(this.runtime.readingPaused()).isFalse();
	}

	@Test
	void backpressureOnAThreadThatMayWaitRefusesAQueueStillFullAfterTheEnqueueTimeout() {
		fullRuntime(TaskOverflow.BACKPRESSURE, SHORT_WAIT);
		assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(this::dispatch)
			.withMessageContaining("stayed full")
			.withMessageContaining("swoole.server.task-queue-capacity=" + CAPACITY)
			.withMessageContaining("swoole.server.task-enqueue-timeout");
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY);
	}

	@Test
	void backpressureOnAThreadThatMayWaitTakesThePlaceGivenBackWhileItWaits() {
		fullRuntime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		CompletableFuture<Long> outcome = CompletableFuture.supplyAsync(this::dispatch, this::newThread);
		awaitWaiting();
		this.backend.end(0);
		assertThat(outcome).succeedsWithin(OUTCOME_TIMEOUT);
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY);
		assertThat(this.runtime.readingPaused()).isFalse();
	}

	@Test
	void backpressureWakesAThreadWaitingForRoomWithAShutdownRefusalWhenTheRuntimeStops() {
		fullRuntime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		CompletableFuture<Long> outcome = CompletableFuture.supplyAsync(this::dispatch, this::newThread);
		awaitWaiting();
		this.runtime.stop(System.nanoTime());
		assertThat(outcome).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(Exception.class)
			.havingCause()
			.isInstanceOf(ServerShutdownException.class);
	}

	@Test
	void placeTakenIsGivenBackWhenSubmitThrows() {
		this.runtime = runtime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		this.backend.refuseSubmits();
		assertThatExceptionOfType(ServerShutdownException.class).isThrownBy(this::dispatch);
		assertThat(this.runtime.counters().queued()).isZero();
		assertThat(this.origin.inFlight()).isZero();
	}

	@Test
	void nullDataIsRefused() {
		this.runtime = runtime(TaskOverflow.BACKPRESSURE, LONG_WAIT);
		assertThatExceptionOfType(NullPointerException.class)
			.isThrownBy(() -> this.runtime.dispatch(null, -1, this.origin, new CompletableFuture<>()))
			.withMessage("Task data must not be null");
		assertThat(this.runtime.counters().queued()).isZero();
	}

	@Test
	void refusedTasksAreCounted() {
		fullRuntime(TaskOverflow.BACKPRESSURE, SHORT_WAIT);
		assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(this::dispatch);
		assertThat(outcomeOn(this.otherLoop)).failsWithin(OUTCOME_TIMEOUT);
		assertThat(this.runtime.counters().rejected()).isEqualTo(2);
		assertThat(this.runtime.counters().dispatched()).isEqualTo(CAPACITY);
	}

	@Test
	void aBackendThatDoesNotSayItOrdersOrReachesEveryConnectionRefusesBoth() {
		this.runtime = runtime(TaskOverflow.REJECT, SHORT_WAIT);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.runtime.dispatchOrdered("key", "task", this.origin))
			.withMessageContaining("taskOrdered");
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> this.runtime.broadcast(new byte[] { 1 }))
			.withMessageContaining("broadcast");
		assertThat(this.runtime.counters().queued()).isZero();
	}

	@Test
	void aTaskTheBackendNeverGotIsRefusedBeforeItsPlaceIsGivenBack() {
		fullRuntime(TaskOverflow.REJECT, SHORT_WAIT);
		BackendTask foreign = new ForeignTask(this.backend.held.get(0));
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.context.ended(foreign))
			.withMessageContaining("pass back the BackendTask object that submit was given");
		assertThatIllegalArgumentException().isThrownBy(() -> this.backend.context.result(foreign, 0, "result"));
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY);
	}

	/**
	 * A runtime whose queue is full: {@link #CAPACITY} tasks dispatched and held.
	 */
	private void fullRuntime(TaskOverflow overflow, long enqueueTimeoutNanos) {
		this.runtime = runtime(overflow, enqueueTimeoutNanos);
		for (int i = 0; i < CAPACITY; i++) {
			dispatch();
		}
		assertThat(this.runtime.counters().queued()).isEqualTo(CAPACITY);
		assertThat(this.runtime.readingPaused()).isFalse();
	}

	private TaskRuntime runtime(TaskOverflow overflow, long enqueueTimeoutNanos) {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		TaskWorkerSettings settings = new TaskWorkerSettings(1, 0, 0, TaskWorkerSettings.WorkerThreads.platform(),
				CAPACITY, overflow, enqueueTimeoutNanos, 1, true);
		TaskRuntime runtime = new TaskRuntime(null, new ConnectionRegistry(1, true, 0), processor.handlers(), null,
				settings, () -> {
				}, TaskObserver.NONE, MessageObservations.NONE, (context) -> {
					this.backend = new HeldBackend(context);
					return this.backend;
				});
		runtime.start();
		return runtime;
	}

	private long dispatch() {
		return this.runtime.dispatch("task", -1, this.origin, new CompletableFuture<>());
	}

	private CompletableFuture<Long> outcomeOn(EventExecutor loop) {
		CompletableFuture<Long> outcome = new CompletableFuture<>();
		loop.execute(() -> {
			try {
				outcome.complete(dispatch());
			}
			catch (Throwable ex) {
				outcome.completeExceptionally(ex);
			}
		});
		return outcome;
	}

	/**
	 * Dispatches from inside a task, on a thread that runs it as a task worker does.
	 */
	private CompletableFuture<Long> outcomeOnTaskWorker() {
		CompletableFuture<Long> outcome = new CompletableFuture<>();
		DispatchedTask outer = new DispatchedTask(Long.MAX_VALUE, new Inside(this::dispatch), null, -1, null,
				this.origin, null, 0, null);
		newThread(() -> {
			try {
				outcome.complete((Long) this.backend.context.run(outer, 0));
			}
			catch (Throwable ex) {
				outcome.completeExceptionally(ex);
			}
		});
		return outcome;
	}

	private void awaitWaiting() {
		await().atMost(OUTCOME_TIMEOUT)
			.until(() -> this.waiter.get() != null && this.waiter.get().getState() == Thread.State.TIMED_WAITING);
	}

	private void newThread(Runnable body) {
		Thread thread = new Thread(() -> {
			this.waiter.set(Thread.currentThread());
			body.run();
		}, "task-admission-test");
		thread.setDaemon(true);
		thread.start();
	}

	record Inside(Callable<Long> dispatch) {

	}

	static class Handlers {

		@OnTask
		String text(String data) {
			return data;
		}

		@OnTask
		Long inside(Inside inside) throws Exception {
			return inside.dispatch().call();
		}

	}

	/**
	 * A task a backend made itself, wrapping one it was handed.
	 */
	private record ForeignTask(BackendTask task) implements BackendTask {

		@Override
		public long id() {
			return this.task.id();
		}

		@Override
		public int srcWorkerId() {
			return this.task.srcWorkerId();
		}

		@Override
		public int workerId() {
			return this.task.workerId();
		}

		@Override
		public Object data() {
			return this.task.data();
		}

		@Override
		public Instant dispatchTime() {
			return this.task.dispatchTime();
		}

		@Override
		public void finish(Object result) {
			this.task.finish(result);
		}

		@Override
		public int dstWorkerId() {
			return this.task.dstWorkerId();
		}

		@Override
		public @Nullable Object parentObservation() {
			return this.task.parentObservation();
		}

		@Override
		public @Nullable Object orderKey() {
			return this.task.orderKey();
		}

		@Override
		public @Nullable Connection connection() {
			return this.task.connection();
		}

	}

	/**
	 * A backend that runs nothing: it holds the tasks it is given until the test ends
	 * them.
	 */
	private static final class HeldBackend implements TaskBackend {

		final TaskBackend.Context context;

		final List<BackendTask> held = new CopyOnWriteArrayList<>();

		private volatile boolean refuseSubmits;

		HeldBackend(TaskBackend.Context context) {
			this.context = context;
		}

		void refuseSubmits() {
			this.refuseSubmits = true;
		}

		void end(int index) {
			this.context.ended(this.held.remove(index));
		}

		@Override
		public void submit(BackendTask task) {
			if (this.refuseSubmits) {
				throw new ServerShutdownException("deliberate: the backend has stopped");
			}
			this.held.add(task);
		}

		@Override
		public void start() {
		}

		@Override
		public void checkTarget(int dstWorkerId) {
		}

		@Override
		public int workerNum() {
			return 1;
		}

		@Override
		public int running() {
			return 0;
		}

		@Override
		public boolean awaitIdle(long timeout, TimeUnit unit) {
			return this.held.isEmpty();
		}

		@Override
		public boolean isIdle() {
			return this.held.isEmpty();
		}

		@Override
		public boolean isAlive() {
			return true;
		}

		@Override
		public List<BackendTask> runningTasks() {
			return List.of();
		}

		@Override
		public List<BackendTask> stop(long deadlineNanos) {
			return List.of();
		}

	}

}
