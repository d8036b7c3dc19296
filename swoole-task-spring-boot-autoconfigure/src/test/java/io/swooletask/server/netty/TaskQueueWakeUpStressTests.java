package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stresses the queue's wake-ups with real threads: two producers offer tasks in small
 * bursts, so that the four workers keep going idle and parking between them, and every
 * task must be taken. About one task in five, none in the last burst, is targeted at
 * worker 0, which holds it until every untargeted task its producer offered before it was
 * taken: the other workers must take those meanwhile. A wake-up lost between a worker's
 * last look at the queue and its park, or taken by worker 0 for its own task and not
 * passed on, leaves tasks queued with the other workers parked: the hold times out, or
 * the count stops short.
 */
class TaskQueueWakeUpStressTests {

	private static final int WORKERS = 4;

	private static final int PRODUCERS = 2;

	private static final int TASKS_PER_PRODUCER = 20_000;

	private static final int BURST = 8;

	private static final long HOLD_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final TaskOrigin ORIGIN = new TaskOrigin(Runnable::run, -1, null, true);

	@RepeatedTest(3)
	void everyTaskOfferedInBurstsIsTaken() throws InterruptedException {
		offerInBursts((producer, burst) -> burst.run(), (producer) -> ORIGIN);
	}

	/**
	 * The same with each burst offered by an event loop as it reads, as the tasks of one
	 * pipelined read are, so that the loop wakes a worker once its turn ends.
	 */
	@RepeatedTest(3)
	void everyTaskOfferedInBurstsFromEventLoopsIsTaken() throws InterruptedException {
		List<EventLoop> producerLoops = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			producerLoops.add(new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()).next());
		}
		List<TaskOrigin> origins = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			origins.add(new TaskOrigin(producerLoops.get(p), p, null, true));
		}
		try {
			offerInBursts((producer, burst) -> producerLoops.get(producer).submit(() -> {
				boolean was = LoopTurnWakes.readStarted();
				burst.run();
				LoopTurnWakes.readEnded(was);
			}).syncUninterruptibly(), origins::get);
		}
		finally {
			for (EventLoop loop : producerLoops) {
				loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
			}
		}
	}

	private void offerInBursts(BiConsumer<Integer, Runnable> burstRunner, IntFunction<TaskOrigin> origins)
			throws InterruptedException {
		TaskQueue queue = new TaskQueue(WORKERS, Integer.MAX_VALUE);
		AtomicInteger taken = new AtomicInteger();
		Progress progress = new Progress();
		List<Thread> threads = new ArrayList<>();
		for (int id = 0; id < WORKERS; id++) {
			int workerId = id;
			threads.add(start(() -> {
				for (DispatchedTask task = queue.take(workerId); task != null; task = queue.take(workerId)) {
					Offered offered = (Offered) task.data();
					if (task.dstWorkerId() == DispatchedTask.ANY_WORKER) {
						progress.took(offered.producer());
					}
					else {
						progress.hold(offered);
					}
					taken.incrementAndGet();
				}
			}));
		}
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			int producer = p;
			TaskOrigin origin = origins.apply(producer);
			producers.add(start(() -> {
				int[] untargeted = new int[1];
				for (int first = 1; first <= TASKS_PER_PRODUCER; first += BURST) {
					int from = first;
					burstRunner.accept(producer, () -> {
						for (int i = from; i < from + BURST; i++) {
							boolean targeted = i % 5 == 0 && i <= TASKS_PER_PRODUCER - BURST;
							queue.offer(new DispatchedTask(i, new Offered(producer, untargeted[0]), null,
									targeted ? 0 : DispatchedTask.ANY_WORKER, null, origin, null, 0, null));
							untargeted[0] += targeted ? 0 : 1;
						}
					});
					Thread.yield();
				}
			}));
		}
		for (Thread producer : producers) {
			producer.join();
		}
		try {
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(taken).hasValue(PRODUCERS * TASKS_PER_PRODUCER));
			assertThat(progress.timedOut).as("holds of worker 0 that waited in vain for the other workers").isZero();
		}
		finally {
			queue.close();
			for (Thread thread : threads) {
				thread.join();
			}
		}
	}

	private static Thread start(Runnable body) {
		Thread thread = new Thread(body);
		thread.start();
		return thread;
	}

	/**
	 * A task's data: its producer, and how many untargeted tasks that producer offered
	 * before it.
	 */
	record Offered(int producer, int untargetedBefore) {

	}

	/**
	 * How many untargeted tasks of each producer were taken, in the order offered (the
	 * shared queue is FIFO), and worker 0's holds on them.
	 */
	static final class Progress {

		private final int[] untargetedTaken = new int[PRODUCERS];

		private int timedOut;

		synchronized void took(int producer) {
			this.untargetedTaken[producer]++;
			notifyAll();
		}

		synchronized void hold(Offered offered) {
			long deadline = System.nanoTime() + HOLD_TIMEOUT_NANOS;
			while (this.untargetedTaken[offered.producer()] < offered.untargetedBefore()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					this.timedOut++;
					return;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this, left);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

	}

}
