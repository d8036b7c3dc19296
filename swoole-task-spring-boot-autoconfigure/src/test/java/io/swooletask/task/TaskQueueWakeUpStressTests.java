package io.swooletask.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stresses the queue's wake-ups with real threads: two producers offer tasks in small bursts, so that
 * the four workers keep going idle and parking between them, and every task must be taken. A wake-up
 * lost between a worker's last look at the queue and its park leaves tasks queued with every worker
 * parked, and the count stops short.
 */
class TaskQueueWakeUpStressTests {

	private static final int WORKERS = 4;

	private static final int TASKS_PER_PRODUCER = 20_000;

	private static final TaskOrigin ORIGIN = new TaskOrigin(Runnable::run, -1, null);

	@RepeatedTest(3)
	void everyTaskOfferedInBurstsIsTaken() throws InterruptedException {
		TaskQueue queue = new TaskQueue(WORKERS, new TaskCapacity(Integer.MAX_VALUE / 2, 2, () -> {
		}));
		AtomicInteger taken = new AtomicInteger();
		List<Thread> threads = new ArrayList<>();
		for (int id = 0; id < WORKERS; id++) {
			int workerId = id;
			threads.add(start(() -> {
				while (queue.take(workerId) != null) {
					taken.incrementAndGet();
				}
			}));
		}
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < 2; p++) {
			producers.add(start(() -> {
				for (int i = 1; i <= TASKS_PER_PRODUCER; i++) {
					queue.offer(new DispatchedTask(null, i, "data", null, DispatchedTask.ANY_WORKER, ORIGIN, null, 0, null));
					if (i % 8 == 0) {
						Thread.yield();
					}
				}
			}));
		}
		for (Thread producer : producers) {
			producer.join();
		}
		try {
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(taken).hasValue(2 * TASKS_PER_PRODUCER));
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

}
