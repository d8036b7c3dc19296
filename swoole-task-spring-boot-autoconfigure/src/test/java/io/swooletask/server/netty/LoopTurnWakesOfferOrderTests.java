package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TaskQueue#offer} counts a reading loop's put-off wake-up before its task is
 * visible: a task another thread queues meanwhile then sees either its own at the head of
 * the queue or a wake-up put off, and wakes an idle worker, instead of waiting for the
 * end of the loop's turn.
 */
class LoopTurnWakesOfferOrderTests {

	private final List<Thread> workers = new ArrayList<>();

	private final CountDownLatch endOfTurn = new CountDownLatch(1);

	private TaskQueue queue;

	private HookedLoop loop;

	@AfterEach
	void stop() throws InterruptedException {
		this.endOfTurn.countDown();
		if (this.queue != null) {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.wakesPutOff() == 0);
			this.queue.close();
		}
		for (Thread worker : this.workers) {
			worker.join();
		}
		if (this.loop != null) {
			this.loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	@Test
	void aTaskQueuedByAnotherThreadJustAfterALoopQueuedItsFirstIsTakenBeforeTheTurnEnds() throws Exception {
		this.queue = new TaskQueue(2, 16);
		AtomicInteger taken = new AtomicInteger();
		startWorkers(this.queue, 2, taken::incrementAndGet);
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		// another thread's origin: not an event loop, so it never puts its wake-up off
		TaskOrigin other = new TaskOrigin(Runnable::run, -1, null, false);
		AtomicBoolean hookRan = new AtomicBoolean();
		this.loop = new HookedLoop(() -> {
			hookRan.set(true);
			Thread x = new Thread(() -> this.queue.offer(task(other)));
			x.start();
			try {
				x.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		TaskOrigin origin = new TaskOrigin(this.loop, 0, null, false);
		CountDownLatch queued = new CountDownLatch(1);
		this.loop.execute(() -> {
			LoopTurnWakes.readStarted();
			this.loop.armed.set(true);
			this.queue.offer(task(origin));
			queued.countDown();
			awaitLatch(this.endOfTurn);
		});
		assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(hookRan).isTrue();
		// the other thread's task must not wait for the loop's turn: workers are idle
		await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() >= 1);
	}

	private void startWorkers(TaskQueue queue, int count, Runnable onTaken) {
		for (int id = 0; id < count; id++) {
			int workerId = id;
			Thread worker = new Thread(() -> {
				while (queue.take(workerId) != null) {
					onTaken.run();
				}
			});
			worker.start();
			this.workers.add(worker);
		}
	}

	private boolean allWorkersParked() {
		return this.workers.stream().allMatch((worker) -> worker.getState() == Thread.State.WAITING);
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static DispatchedTask task(TaskOrigin origin) {
		return new DispatchedTask(1, "task", null, DispatchedTask.ANY_WORKER, null, origin, null, 0, null);
	}

	/**
	 * A real NIO I/O loop that, once armed, runs a hook the first time its own thread
	 * asks whether it is in the loop: inside {@code LoopTurnWakes.deferred}, the moment
	 * another thread's task could slip between the loop's task and its put-off.
	 */
	static final class HookedLoop extends SingleThreadIoEventLoop {

		final AtomicBoolean armed = new AtomicBoolean();

		private final Runnable hook;

		HookedLoop(Runnable hook) {
			super(null, Executors.defaultThreadFactory(), NioIoHandler.newFactory());
			this.hook = hook;
		}

		@Override
		public boolean inEventLoop(Thread thread) {
			boolean in = super.inEventLoop(thread);
			if (in && this.armed.getAndSet(false)) {
				this.hook.run();
			}
			return in;
		}

	}

}
