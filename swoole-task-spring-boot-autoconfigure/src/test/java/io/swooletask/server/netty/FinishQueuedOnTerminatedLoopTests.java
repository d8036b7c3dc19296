package io.swooletask.server.netty;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.RejectedExecutionHandlers;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.concurrent.ThreadPerTaskExecutor;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.task.MessageObservations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A finish event handed to a Netty event loop as it terminates can be lost without a
 * refusal: it passes the loop's shutdown check, the loop terminates, and then the event
 * is queued; Netty sees the shutdown and would take the event back to refuse it, but the
 * task queue of its I/O loops cannot remove an element, so {@code execute} returns as if
 * the loop took the event, which never runs. The event's future fails all the same, the
 * event counts as dropped and its task ends. A real Netty executor, with a task queue
 * that cannot remove either, is held at each step of that interleaving, so it happens on
 * every run.
 */
class FinishQueuedOnTerminatedLoopTests {

	private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(10);

	private final HeldQueue queue = new HeldQueue();

	private final TerminatingLoop loop = new TerminatingLoop(this.queue);

	private final TaskOrigin origin = new TaskOrigin(this.loop, -1, null, true);

	private final FinishDelivery delivery = new FinishDelivery(null, new HandlerMethodProcessor().handlers(), null,
			MessageObservations.NONE);

	@AfterEach
	void stop() {
		this.queue.offering.countDown();
		this.queue.terminated.countDown();
		this.loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
	}

	@Test
	void aReturnedResultQueuedAfterTheLoopTerminatedFailsTheFutureAndEndsTheTask() {
		CompletableFuture<Object> future = new CompletableFuture<>();
		TaskRun run = dispatched(future);
		terminateLoopAsItIsHandedAnEvent();
		this.delivery.returned(run, "result");
		assertDropped(future);
		assertThat(this.origin.inFlight()).as("tasks in flight from the origin").isZero();
	}

	@Test
	void aFinishedResultQueuedAfterTheLoopTerminatedFailsTheFuture() {
		CompletableFuture<Object> future = new CompletableFuture<>();
		TaskRun run = dispatched(future);
		terminateLoopAsItIsHandedAnEvent();
		run.finish("result");
		assertDropped(future);
		this.delivery.ended(run.task);
		assertThat(this.origin.inFlight()).as("tasks in flight from the origin").isZero();
	}

	private TaskRun dispatched(CompletableFuture<Object> future) {
		this.origin.dispatched();
		DispatchedTask task = new DispatchedTask(1, "data", null, DispatchedTask.ANY_WORKER, null, this.origin, future,
				0, null);
		return new TaskRun(task, 0, this.delivery);
	}

	/**
	 * Begins the loop's shutdown while an event holds the loop, so that the next event
	 * handed to it passes its shutdown check; the queue holds that event until the loop
	 * has terminated.
	 */
	private void terminateLoopAsItIsHandedAnEvent() {
		CountDownLatch holding = new CountDownLatch(1);
		this.loop.execute(() -> {
			holding.countDown();
			HeldQueue.await(this.queue.offering);
		});
		HeldQueue.await(holding);
		this.loop.terminationFuture().addListener((terminated) -> this.queue.terminated.countDown());
		this.loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
		this.queue.armed = true;
	}

	private void assertDropped(CompletableFuture<Object> future) {
		assertThat(this.loop.isTerminated()).as("the loop terminated").isTrue();
		assertThat(future).failsWithin(OUTCOME_TIMEOUT)
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(ServerShutdownException.class);
		await().atMost(OUTCOME_TIMEOUT).until(() -> this.delivery.dropped() == 1);
	}

	/**
	 * The task queue of the loop: once armed, it holds the next event offered, past the
	 * loop's shutdown check, until the loop has terminated. Like the queue of Netty's I/O
	 * loops, it cannot remove an element.
	 */
	static final class HeldQueue extends LinkedBlockingQueue<Runnable> {

		final CountDownLatch offering = new CountDownLatch(1);

		final CountDownLatch terminated = new CountDownLatch(1);

		volatile boolean armed;

		@Override
		public boolean offer(Runnable event) {
			if (this.armed) {
				this.armed = false;
				this.offering.countDown();
				await(this.terminated);
			}
			return super.offer(event);
		}

		@Override
		public boolean remove(Object event) {
			throw new UnsupportedOperationException("remove");
		}

		static void await(CountDownLatch latch) {
			try {
				assertThat(latch.await(OUTCOME_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	/**
	 * A Netty executor that runs its events as Netty's {@code DefaultEventExecutor} does,
	 * from a {@link HeldQueue}.
	 */
	static final class TerminatingLoop extends SingleThreadEventExecutor {

		TerminatingLoop(HeldQueue queue) {
			super(null, new ThreadPerTaskExecutor(new DefaultThreadFactory("terminating-loop")), true, queue,
					RejectedExecutionHandlers.reject());
		}

		@Override
		protected void run() {
			do {
				Runnable task = takeTask();
				if (task != null) {
					task.run();
					updateLastExecutionTime();
				}
			}
			while (!confirmShutdown());
		}

	}

}
