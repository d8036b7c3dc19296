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

import io.swooletask.server.TaskOverflow;
import io.swooletask.task.TaskWorkerSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link LoopTurnWakes} at its edges: several queues on one loop, capacities smaller than
 * the loops, limits of one, loops shut down and queues closed in the middle of a turn.
 * Real worker threads and real NIO event loops; a read is held open with a latch, so that
 * the turn in which the tasks were queued has not ended.
 */
class LoopTurnWakesEdgeTests {

	private final List<EventLoop> loops = new ArrayList<>();

	private final List<TaskQueue> queues = new ArrayList<>();

	private final List<Thread> workers = new ArrayList<>();

	private final CountDownLatch endOfTurn = new CountDownLatch(1);

	@AfterEach
	void stop() throws InterruptedException {
		this.endOfTurn.countDown();
		for (TaskQueue queue : this.queues) {
			await().atMost(Duration.ofSeconds(10)).until(() -> queue.wakesPutOff() == 0);
		}
		for (TaskQueue queue : this.queues) {
			queue.close();
		}
		for (Thread worker : this.workers) {
			worker.join();
		}
		for (EventLoop loop : this.loops) {
			loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	/**
	 * Two queues on one loop (two servers, or a handler of one dispatching to the other)
	 * each count their own put-off tasks: the tasks of the other do not reset a queue's
	 * count before it reaches its limit.
	 */
	@Test
	void aQueueSharingItsLoopWithAnotherQueueIsWokenPastItsLimit() {
		EventLoop loop = loop();
		TaskQueue a = queue(2, 4);
		TaskQueue b = queue(2, 4);
		AtomicInteger takenA = startWorkers(a, 2);
		AtomicInteger takenB = startWorkers(b, 2);
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		TaskOrigin origin = new TaskOrigin(loop, 0, null, false);
		loop.execute(() -> {
			LoopTurnWakes.readStarted();
			for (int round = 0; round < 10; round++) {
				for (int i = 0; i < 3; i++) {
					a.offer(task(origin));
				}
				for (int i = 0; i < 2; i++) {
					b.offer(task(origin));
				}
			}
			awaitEndOfTurn();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> takenB.get() == 20);
		// 30 > 4 tasks queued in A in this turn: A's limit must have woken a worker of A
		await().atMost(Duration.ofSeconds(10)).until(() -> takenA.get() == 30);
	}

	/**
	 * Below one task per loop in half the capacity, no wake-up is put off: two loops
	 * forcing a place each with a capacity of 3 (saturation mark 2) would otherwise pause
	 * reading with both workers asleep until the turns end.
	 */
	@Test
	void tasksWhoseWakeUpIsPutOffNeverPauseReadingWhenTheCapacityIsSmallerThanTwoPerLoop() throws Exception {
		TaskWorkerSettings settings = new TaskWorkerSettings(2, 0, 0, TaskWorkerSettings.WorkerThreads.platform(), 3,
				TaskOverflow.BACKPRESSURE, 0, 2, false);
		TaskCapacity capacity = new TaskCapacity(3, 2, () -> {
		});
		TaskQueue queue = queue(2, TaskWorkerPool.putOffLimit(settings));
		AtomicInteger taken = new AtomicInteger();
		startWorkers(queue, 2, () -> {
			capacity.release();
			taken.incrementAndGet();
		});
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		CountDownLatch queued = new CountDownLatch(2);
		for (int i = 0; i < 2; i++) {
			EventLoop loop = loop();
			TaskOrigin origin = new TaskOrigin(loop, i, null, false);
			loop.execute(() -> {
				LoopTurnWakes.readStarted();
				capacity.forceReserve();
				queue.offer(task(origin));
				queued.countDown();
				awaitEndOfTurn();
			});
		}
		assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
		await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == 2 && !capacity.readingPaused());
	}

	/**
	 * With a limit of 1, the second task of a read wakes a worker at once.
	 */
	@Test
	void aLimitOfOneWakesAWorkerForTheSecondTaskOfARead() {
		EventLoop loop = loop();
		TaskQueue queue = queue(1, 1);
		AtomicInteger taken = startWorkers(queue, 1);
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		TaskOrigin origin = new TaskOrigin(loop, 0, null, false);
		loop.execute(() -> {
			LoopTurnWakes.readStarted();
			queue.offer(task(origin));
			queue.offer(task(origin));
			awaitEndOfTurn();
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == 2);
	}

	/**
	 * A wake-up put off before the loop is shut down (abruptly, so that it rejects new
	 * tasks) still comes once the read ends: the run was accepted before.
	 */
	@Test
	@SuppressWarnings("deprecation")
	void aWakeUpPutOffBeforeTheLoopIsShutDownStillComes() throws Exception {
		EventLoop loop = loop();
		TaskQueue queue = queue(2, 16);
		AtomicInteger taken = startWorkers(queue, 2);
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		TaskOrigin origin = new TaskOrigin(loop, 0, null, false);
		CountDownLatch firstQueued = new CountDownLatch(1);
		CountDownLatch shutDown = new CountDownLatch(1);
		loop.execute(() -> {
			LoopTurnWakes.readStarted();
			queue.offer(task(origin));
			firstQueued.countDown();
			awaitLatch(shutDown);
			queue.offer(task(origin));
			awaitEndOfTurn();
		});
		assertThat(firstQueued.await(10, TimeUnit.SECONDS)).isTrue();
		loop.shutdown();
		assertThat(loop.isShutdown()).isTrue();
		shutDown.countDown();
		this.endOfTurn.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == 2 && queue.wakesPutOff() == 0);
	}

	/**
	 * A loop that rejects tasks (shut down) does not put the wake-up off: a worker is
	 * woken at once, before the read ends.
	 */
	@Test
	@SuppressWarnings("deprecation")
	void aLoopThatRejectsTheTurnEndRunWakesAWorkerAtOnce() throws Exception {
		EventLoop loop = loop();
		TaskQueue queue = queue(2, 16);
		AtomicInteger taken = startWorkers(queue, 2);
		await().atMost(Duration.ofSeconds(10)).until(this::allWorkersParked);
		TaskOrigin origin = new TaskOrigin(loop, 0, null, false);
		CountDownLatch reading = new CountDownLatch(1);
		CountDownLatch shutDown = new CountDownLatch(1);
		loop.execute(() -> {
			LoopTurnWakes.readStarted();
			reading.countDown();
			awaitLatch(shutDown);
			queue.offer(task(origin));
			awaitEndOfTurn();
		});
		assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
		loop.shutdown();
		shutDown.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> taken.get() == 1);
		assertThat(queue.wakesPutOff()).isZero();
	}

	/**
	 * A close before the turn ends leaves no put-off wake-up counted.
	 */
	@Test
	void aCloseBeforeTheTurnEndsLeavesNoWakeUpPutOff() throws Exception {
		EventLoop loop = loop();
		TaskQueue queue = queue(1, 16);
		TaskOrigin origin = new TaskOrigin(loop, 0, null, false);
		CountDownLatch queued = new CountDownLatch(1);
		loop.execute(() -> {
			LoopTurnWakes.readStarted();
			queue.offer(task(origin));
			queued.countDown();
			awaitEndOfTurn();
		});
		assertThat(queued.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(queue.close()).hasSize(1);
		this.endOfTurn.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> queue.wakesPutOff() == 0);
	}

	private EventLoop loop() {
		EventLoop loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()).next();
		this.loops.add(loop);
		return loop;
	}

	private TaskQueue queue(int workers, int putOffLimit) {
		TaskQueue queue = new TaskQueue(workers, putOffLimit);
		this.queues.add(queue);
		return queue;
	}

	private AtomicInteger startWorkers(TaskQueue queue, int count) {
		AtomicInteger taken = new AtomicInteger();
		startWorkers(queue, count, taken::incrementAndGet);
		return taken;
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

	private void awaitEndOfTurn() {
		awaitLatch(this.endOfTurn);
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

}
