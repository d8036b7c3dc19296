package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.SwooleServerException;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node of the amqp transport stopping while tasks are dispatched and run.
 */
@ExtendWith(OutputCaptureExtension.class)
class ScaleOutShutdownTests {

	private static final int THREADS = 8;

	@RegisterExtension
	final ScaleOutNodes nodes = new ScaleOutNodes();

	private final ExecutorService threads = Executors.newFixedThreadPool(THREADS);

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void taskSubmittedWhileTheNodeStopsIsRefusedOrEnds() throws Exception {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.shutdown-timeout=1s");
		SwooleServer server = origin.getBean(SwooleServer.class);
		CountDownLatch writing = new CountDownLatch(THREADS);
		CountDownLatch release = new CountDownLatch(1);
		List<Future<CompletableFuture<Object>>> dispatches = new ArrayList<>();
		try {
			for (int i = 0; i < THREADS; i++) {
				dispatches.add(this.threads
					.submit(() -> server.taskAsync(new ScaleOutApplication.HeldWhileWritten(writing, release))));
			}
			// each task() has passed the dispatcher's check and is in the backend,
			// writing its data
			assertThat(writing.await(30, TimeUnit.SECONDS)).isTrue();
			origin.close();
		}
		finally {
			release.countDown();
		}
		List<CompletableFuture<Object>> accepted = new ArrayList<>();
		for (Future<CompletableFuture<Object>> dispatch : dispatches) {
			try {
				accepted.add(dispatch.get(30, TimeUnit.SECONDS));
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(ServerShutdownException.class);
			}
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> accepted.stream().allMatch(CompletableFuture::isDone));
	}

	@Test
	void everyTaskDispatchedWhileTheNodeStopsUnderLoadEnds() throws Exception {
		ConfigurableApplicationContext origin = this.nodes.tcpNode("swoole.server.shutdown-timeout=1s",
				"swoole.server.task-queue-capacity=200", "swoole.server.task-enqueue-timeout=1s");
		this.nodes.workerNode("worker");
		SwooleServer server = origin.getBean(SwooleServer.class);
		Queue<CompletableFuture<Object>> accepted = new ConcurrentLinkedQueue<>();
		List<Future<?>> dispatchers = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			dispatchers.add(this.threads.submit(() -> {
				try {
					while (true) {
						accepted.add(server.taskAsync(new Job("s", 0)));
					}
				}
				catch (SwooleServerException ex) {
					// refused: the node has stopped
				}
			}));
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> accepted.stream().filter(CompletableFuture::isDone).count() >= 500);
		origin.close();
		for (Future<?> dispatcher : dispatchers) {
			dispatcher.get(30, TimeUnit.SECONDS);
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> accepted.stream().allMatch(CompletableFuture::isDone));
	}

	@Test
	void workersStoppingAfterTheDrainGetOnlyWhatIsLeftOfTheShutdownTimeout(CapturedOutput output) {
		ConfigurableApplicationContext node = this.nodes.node("both",
				Map.of("swoole.server.task-worker-num", "1", "swoole.server.shutdown-timeout", "2s"));
		ScaleOutApplication.Handlers handlers = node.getBean(ScaleOutApplication.Handlers.class);
		SwooleServer server = node.getBean(SwooleServer.class);
		CompletableFuture<Object> future = server.taskAsync(new Job("hang", 0));
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> !handlers.runs.isEmpty());
			// the drain waits for the task until the deadline, so nothing is left for the
			// workers
			node.close();
		}
		finally {
			handlers.hang.countDown();
		}
		assertThat(output).containsOnlyOnce("1 tasks running on this node's task workers have 0 ms left")
			.containsOnlyOnce("1 tasks unfinished at shutdown");
		assertThat(future).isCompletedExceptionally();
		assertThat(server.stats().taskingNum()).as("capacity places taken after the stop").isZero();
	}

	@Test
	void tasksTakenAheadByAStoppingWorkerGoBackToTheQueueUnrun(CapturedOutput output) throws Exception {
		SwooleServer origin = this.nodes.tcpNode().getBean(SwooleServer.class);
		ConfigurableApplicationContext workerA = this.nodes.workerNode("a", "swoole.server.task-worker-num=1",
				"spring.rabbitmq.listener.simple.prefetch=10", "swoole.server.shutdown-timeout=1m");
		ScaleOutApplication.Handlers handlersA = workerA.getBean(ScaleOutApplication.Handlers.class);
		CompletableFuture<Object> hanging = origin.taskAsync(new Job("hang", 0));
		List<CompletableFuture<Object>> behind = new ArrayList<>();
		Future<?> stopping;
		try {
			await().atMost(Duration.ofSeconds(30)).until(() -> !handlersA.runs.isEmpty());
			for (int i = 0; i < 5; i++) {
				behind.add(origin.taskAsync(new Job("behind", 0)));
			}
			// all taken ahead by the one worker of node a, behind the hanging task
			await().atMost(Duration.ofSeconds(30)).until(() -> RabbitBroker.ready(this.nodes.taskQueue) == 0);
			stopping = this.threads.submit(workerA::close);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> output.toString().contains("1 tasks running on this node's task workers"));
		}
		finally {
			handlersA.hang.countDown();
		}
		stopping.get(1, TimeUnit.MINUTES);
		this.nodes.workerNode("b");
		assertThat(hanging.get(30, TimeUnit.SECONDS)).isEqualTo(new ScaleOutApplication.Done("hang -> OK", "a"));
		for (CompletableFuture<Object> task : behind) {
			assertThat(task.get(30, TimeUnit.SECONDS)).isEqualTo(new ScaleOutApplication.Done("behind -> OK", "b"));
		}
		assertThat(handlersA.runs).hasSize(1);
	}

}
