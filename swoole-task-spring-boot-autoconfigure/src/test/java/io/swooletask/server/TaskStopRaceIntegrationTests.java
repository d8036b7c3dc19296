package io.swooletask.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Threads outside the server call {@code task(data, callback)} while it stops. Every call
 * either throws at once, or its task gets exactly one outcome: its callback, or its
 * failure with a {@link ServerShutdownException} told to the {@link TaskErrorHandler};
 * only the finish of a task still running at the shutdown timeout may be dropped, as the
 * log says. Once stopped, no place in the queue is left taken.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskStopRaceIntegrationTests {

	private static final int ROUNDS = 8;

	private static final int PRODUCERS = 3;

	private static final Pattern STILL_RUNNING = Pattern
		.compile("tasks unfinished at shutdown: .* (\\d+) still running");

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(QuickHandlers.class)
		.withBean(RecordingErrorHandler.class)
		.withPropertyValues("swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.task-queue-capacity=64", "swoole.server.shutdown-timeout=500ms");

	@Test
	void everyTaskAcceptedWhileTheServerStopsGetsExactlyOneOutcome(CapturedOutput output) {
		for (int round = 0; round < ROUNDS; round++) {
			int current = round;
			this.runner.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				RecordingErrorHandler failures = context.getBean(RecordingErrorHandler.class);
				Map<Long, AtomicInteger> outcomes = failures.outcomes;
				Queue<Long> accepted = new ConcurrentLinkedQueue<>();
				List<Thread> producers = new ArrayList<>();
				for (int p = 0; p < PRODUCERS; p++) {
					int n = p;
					Thread producer = new Thread(() -> produce(server, accepted, outcomes), "producer-" + n);
					producer.start();
					producers.add(producer);
				}
				await().until(() -> accepted.size() > 200);
				int logged = output.getAll().length();
				context.close();
				for (Thread producer : producers) {
					producer.join();
				}
				await().untilAsserted(() -> assertThat(outcomes.values()).allSatisfy(
						(count) -> assertThat(count).as("round %d: outcomes of one task", current).hasValue(1)));
				List<Long> withoutOutcome = accepted.stream().filter((id) -> !outcomes.containsKey(id)).toList();
				assertThat(withoutOutcome.size())
					.as("round %d: tasks without an outcome %s, beyond those still running"
							+ " at the shutdown timeout, whose finish is dropped", current, withoutOutcome)
					.isLessThanOrEqualTo(stillRunningAtTheTimeout(output.getAll().substring(logged)));
				assertThat(failures.unexpected).as("failures other than the shutdown").isEmpty();
				assertThat(server.stats().taskingNum()).as("round %d: places taken after the stop", current).isZero();
			});
		}
	}

	private static void produce(SwooleServer server, Queue<Long> accepted, Map<Long, AtomicInteger> outcomes) {
		for (int i = 0; i < 1_000_000; i++) {
			try {
				long id = server.task("t" + i, (task, result) -> outcome(outcomes, task.id()));
				accepted.add(id);
			}
			catch (ServerShutdownException ex) {
				return;
			}
			catch (TaskRejectedException ex) {
				// the queue is full for this call: the next may find room
			}
		}
	}

	private static int stillRunningAtTheTimeout(String log) {
		Matcher matcher = STILL_RUNNING.matcher(log);
		return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	static void outcome(Map<Long, AtomicInteger> outcomes, long id) {
		outcomes.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
	}

	static class RecordingErrorHandler implements TaskErrorHandler {

		final Map<Long, AtomicInteger> outcomes = new ConcurrentHashMap<>();

		final Queue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

		@Override
		public void onError(Task task, Connection connection, Throwable exception) {
			if (!(exception instanceof ServerShutdownException)) {
				this.unexpected.add(exception);
			}
			outcome(this.outcomes, task.id());
		}

	}

	static class QuickHandlers {

		@OnReceive
		void receive(String data) {
		}

		@OnTask
		String task(String data) {
			// slow enough that the producers keep the queue full past the shutdown
			// timeout
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			return data;
		}

	}

}
