package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks of the amqp transport whose origin gave up on them at their reply timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutTaskExpiryTests {

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	@Test
	void tasksTimedOutBeforeAnyWorkerTookThemNeverRun(CapturedOutput output) throws Exception {
		SwooleServer origin = this.nodes.tcpNode("swoole.server.amqp.reply-timeout=3s").getBean(SwooleServer.class);
		List<CompletableFuture<Object>> stale = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			stale.add(origin.taskAsync(new Job("stale", 0)));
		}
		await().atMost(Duration.ofSeconds(20)).until(() -> stale.stream().allMatch(CompletableFuture::isDone));
		assertThat(stale).allMatch(CompletableFuture::isCompletedExceptionally);
		assertThat(output).contains("tasks timed out");
		ScaleOutApplication.Handlers worker = this.nodes.workerNode("worker", "swoole.server.task-worker-num=1")
			.getBean(ScaleOutApplication.Handlers.class);
		// one worker takes the tasks in their order: the stale ones have gone by the time
		// this one ends
		assertThat(origin.taskAsync(new Job("fresh", 0)).get(30, TimeUnit.SECONDS))
			.isEqualTo(new Done("fresh -> OK", "worker"));
		assertThat(worker.runs).hasSize(1);
		assertThat(output).doesNotContain("no worker acknowledged it");
	}

}
