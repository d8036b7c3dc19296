package io.swooletask.server.netty;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two idle workers; an untargeted task, then a long one targeted at worker 0. Worker 0
 * may take the wake-up meant for the untargeted task and then its own task first: worker
 * 1 must still be woken for the untargeted one, not left parked until the long task ends.
 */
class TaskQueueTargetedWakeUpTests {

	private static final int ROUNDS = 50;

	private static final TaskOrigin ORIGIN = new TaskOrigin(Runnable::run, -1, null, true);

	@Test
	void untargetedTaskIsTakenWhileTheTargetedTaskOfferedAfterItRuns() throws InterruptedException {
		for (int round = 0; round < ROUNDS; round++) {
			TaskQueue queue = new TaskQueue(2, Integer.MAX_VALUE);
			CountDownLatch longTaskEnds = new CountDownLatch(1);
			CountDownLatch quickTaken = new CountDownLatch(1);
			Thread[] workers = { worker(queue, 0, longTaskEnds, quickTaken),
					worker(queue, 1, longTaskEnds, quickTaken) };
			try {
				await().until(() -> parked(workers[0]) && parked(workers[1]));
				queue.offer(task("quick", DispatchedTask.ANY_WORKER));
				queue.offer(task("long", 0));
				assertThat(quickTaken.await(10, TimeUnit.SECONDS))
					.as("round %d: the untargeted task was taken while the targeted one ran", round)
					.isTrue();
			}
			finally {
				longTaskEnds.countDown();
				queue.close();
				for (Thread worker : workers) {
					worker.join(Duration.ofSeconds(10).toMillis());
				}
			}
		}
	}

	private static boolean parked(Thread worker) {
		return worker.getState() == Thread.State.WAITING;
	}

	private static Thread worker(TaskQueue queue, int id, CountDownLatch longTaskEnds, CountDownLatch quickTaken) {
		Thread thread = new Thread(() -> {
			for (DispatchedTask task = queue.take(id); task != null; task = queue.take(id)) {
				if (task.data().equals("long")) {
					awaitQuietly(longTaskEnds);
				}
				else {
					quickTaken.countDown();
				}
			}
		}, "worker-" + id);
		thread.start();
		return thread;
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static DispatchedTask task(String data, int dstWorkerId) {
		return new DispatchedTask(1, data, null, dstWorkerId, null, ORIGIN, null, 0, null);
	}

}
