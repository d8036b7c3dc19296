package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * {@link LoopTurnWakes} with a real {@link TaskQueue}, real worker threads and a real
 * event loop: the wake-ups an event loop puts off while it reads are never lost, never
 * hold back tasks queued by other threads, are not put off outside a read, nor for more
 * tasks than the queue's limit.
 */
class LoopTurnWakesTests {

	private static final int WORKERS = 4;

	private static final int PUT_OFF_LIMIT = 16;

	private final EventLoop loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()).next();

	private final TaskQueue queue = new TaskQueue(WORKERS, PUT_OFF_LIMIT);

	private final TaskOrigin origin = new TaskOrigin(this.loop, 0, null, false);

	private final AtomicInteger taken = new AtomicInteger();

	private final List<Thread> workers = new ArrayList<>();

	private final CountDownLatch endOfTurn = new CountDownLatch(1);

	@AfterEach
	void stop() throws InterruptedException {
		this.endOfTurn.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.queue.wakesPutOff() == 0);
		this.queue.close();
		for (Thread worker : this.workers) {
			worker.join();
		}
		this.loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void everyBurstQueuedAsALoopReadsIsTaken() {
		startWorkers();
		for (int burst = 1; burst <= 500; burst++) {
			this.loop.submit(() -> {
				boolean was = LoopTurnWakes.readStarted();
				for (int i = 0; i < 8; i++) {
					this.queue.offer(task(this.origin));
				}
				LoopTurnWakes.readEnded(was);
			}).syncUninterruptibly();
			int offered = burst * 8;
			await().pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(1))
				.atMost(Duration.ofSeconds(10))
				.until(() -> this.taken.get() == offered);
		}
	}

	@Test
	void aReadThatQueuesMoreTasksThanTheLimitWakesAWorkerBeforeTheTurnEnds() {
		startWorkers();
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		this.loop.execute(() -> {
			LoopTurnWakes.readStarted();
			for (int i = 0; i <= PUT_OFF_LIMIT; i++) {
				this.queue.offer(task(this.origin));
			}
			awaitEndOfTurn();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.taken.get() == PUT_OFF_LIMIT + 1);
	}

	@Test
	void aTaskQueuedByAnotherThreadIsTakenWhileTheLoopHasNotEndedItsRead() {
		startWorkers();
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		CountDownLatch queuedByTheLoop = new CountDownLatch(1);
		this.loop.execute(() -> {
			LoopTurnWakes.readStarted();
			this.queue.offer(task(this.origin));
			queuedByTheLoop.countDown();
			awaitEndOfTurn();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> queuedByTheLoop.getCount() == 0);
		this.queue.offer(task(new TaskOrigin(Runnable::run, -1, null, false)));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.taken.get() == 2);
	}

	@Test
	void aTaskQueuedByALoopOutsideAReadIsTakenWhileTheLoopIsBusy() {
		startWorkers();
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		this.loop.execute(() -> {
			LoopTurnWakes.readEnded(LoopTurnWakes.readStarted());
			this.queue.offer(task(this.origin));
			awaitEndOfTurn();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> this.taken.get() == 1);
	}

	private void startWorkers() {
		for (int id = 0; id < WORKERS; id++) {
			int workerId = id;
			Thread worker = new Thread(() -> {
				while (this.queue.take(workerId) != null) {
					this.taken.incrementAndGet();
				}
			});
			worker.start();
			this.workers.add(worker);
		}
	}

	private boolean allWorkersParked() {
		return this.workers.stream().allMatch((worker) -> worker.getState() == Thread.State.WAITING);
	}

	private void awaitEndOfTurn() {
		try {
			this.endOfTurn.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static DispatchedTask task(TaskOrigin origin) {
		return new DispatchedTask(1, "task", null, DispatchedTask.ANY_WORKER, null, origin, null, 0, null);
	}

}
