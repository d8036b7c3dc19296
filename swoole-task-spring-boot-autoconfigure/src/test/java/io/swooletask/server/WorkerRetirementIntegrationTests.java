package io.swooletask.server;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WorkerRetirementIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(RecordingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2",
				"swoole.server.task-max-request=100", "swoole.server.task-max-request-grace=10");

	@Test
	void retiringWorkersLoseAndReorderNothing() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			RecordingHandlers handlers = context.getBean(RecordingHandlers.class);
			AtomicInteger finished = new AtomicInteger();
			for (int seq = 0; seq < 10_000; seq++) {
				int target = (seq % 3 == 2) ? -1 : seq % 2;
				server.task(new Job(seq, target), target, (task, result) -> finished.incrementAndGet());
			}
			await().until(() -> finished.get() == 10_000);
			assertThat(handlers.runs).hasSize(10_000);
			assertThat(handlers.runs.stream().map(Run::seq).distinct()).hasSize(10_000);
			for (int worker = 0; worker < 2; worker++) {
				int id = worker;
				List<Run> targeted = handlers.runs.stream().filter((run) -> run.target() == id).toList();
				assertThat(targeted).allMatch((run) -> run.workerId() == id);
				assertThat(targeted).extracting(Run::seq).isSorted();
				assertThat(handlers.runs.stream()
					.filter((run) -> run.workerId() == id)
					.map(Run::threadId)
					.distinct()
					.count()).as("threads that served worker %d", id).isGreaterThan(1);
			}
			assertThat(server.stats().taskCompleted()).isEqualTo(10_000);
		});
	}

	record Job(int seq, int target) {

	}

	record Run(int seq, int target, int workerId, long threadId) {

	}

	static class RecordingHandlers {

		final Queue<Run> runs = new ConcurrentLinkedQueue<>();

		@OnReceive
		void receive(String data) {
		}

		@OnTask
		Integer task(Task task, Job job) {
			this.runs.add(new Run(job.seq(), job.target(), task.workerId(), Thread.currentThread().getId()));
			return job.seq();
		}

	}

}
