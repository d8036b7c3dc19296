package io.swooletask.server;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Anything a handler throws, an exception or an {@link Error}, is an outcome of that one
 * event: it never ends a task worker or an event loop, and never closes the connection;
 * the server lives on.
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlerThrowableIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final int TASK_WORKERS = 4;

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ThrowingHandlers.class)
		.withBean(RecordingErrorHandler.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=" + TASK_WORKERS,
				"swoole.server.open-eof-split=true",
				// bounds the context close of a red run, where tasks queued for dead
				// workers never end
				"swoole.server.shutdown-timeout=5s");

	/**
	 * One task worker, so that the first task a client sends is task 1 on task worker 0.
	 */
	private final ApplicationContextRunner oneTaskWorker = this.runner
		.withPropertyValues("swoole.server.task-worker-num=1");

	@Test
	void throwingTaskReachesTheErrorHandlerAndTheWorkerTakesTheNextTask(CapturedOutput output) {
		this.oneTaskWorker.run((context) -> {
			RecordingErrorHandler errors = context.getBean(RecordingErrorHandler.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("task-throws\r\n").readLine()).isEqualTo("error: task failed on purpose");
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
			}
			assertThat(errors.failures).singleElement().satisfies((failure) -> {
				assertThat(failure.task().data()).isEqualTo("task-throws");
				assertThat(failure.thread()).startsWith("swoole-worker");
			});
			assertThat(context.getBean(SwooleServer.class).stats().taskFailed()).isOne();
			assertThat(output).containsOnlyOnce("task failed on purpose")
				.containsPattern("Task\\[id=1, data=java.lang.String] failed in "
						+ "handlerThrowableIntegrationTests.ThrowingHandlers.task on task worker 0");
		});
	}

	@Test
	void everyWorkerRunsTasksAfterAnErrorOnEachOfThem(CapturedOutput output) {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			throwErrorOnEveryWorker(server);
			Map<Integer, String> ranOn = new ConcurrentHashMap<>();
			for (int id = 0; id < TASK_WORKERS; id++) {
				int workerId = id;
				server.task(new WhoAmI(), workerId, (task, result) -> ranOn.put(workerId, (String) result));
			}
			awaiting().untilAsserted(() -> assertThat(ranOn).hasSize(TASK_WORKERS));
			for (int id = 0; id < TASK_WORKERS; id++) {
				assertThat(ranOn.get(id)).isEqualTo(id + " on swoole-task-worker-" + id);
			}
		});
		assertThat(output).contains("java.lang.AssertionError: task error on purpose 0")
			.contains("java.lang.AssertionError: task error on purpose " + (TASK_WORKERS - 1));
	}

	@Test
	void taskAsyncOfATaskThrowingAnErrorFailsWithThatError(CapturedOutput output) {
		this.runner.run((context) -> {
			CompletableFuture<Object> future = context.getBean(SwooleServer.class).taskAsync(new Boom(7));
			assertThat(future).failsWithin(WAIT)
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(AssertionError.class)
				.withMessage("task error on purpose 7");
		});
		assertThat(output).contains("java.lang.AssertionError: task error on purpose 7");
	}

	@Test
	void taskThrowingAnErrorReachesTheErrorHandlerAndCountsAsFailed(CapturedOutput output) {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			RecordingErrorHandler errors = context.getBean(RecordingErrorHandler.class);
			for (int id = 0; id < TASK_WORKERS; id++) {
				server.task(new Boom(id), id);
			}
			awaiting().untilAsserted(() -> assertThat(errors.failures).hasSize(TASK_WORKERS));
			// the error itself, or wrapped with it as the cause
			assertThat(errors.failures)
				.allSatisfy((failure) -> assertThat(NestedExceptionUtils.getMostSpecificCause(failure.exception()))
					.isInstanceOf(AssertionError.class)
					.hasMessageStartingWith("task error on purpose"));
			assertThat(server.stats().taskFailed()).isEqualTo(TASK_WORKERS);
		});
		assertThat(output).contains("java.lang.AssertionError: task error on purpose 0");
	}

	@Test
	void closingTheContextAfterAnErrorOnEveryWorkerEndsPromptly(CapturedOutput output) {
		// as in an application: the context waits for the server's graceful shutdown,
		// which has the default
		// shutdown-timeout, 30 s; closing may not sit it out waiting for tasks queued for
		// workers that are gone
		this.runner.withConfiguration(AutoConfigurations.of(LifecycleAutoConfiguration.class))
			.withPropertyValues("swoole.server.shutdown-timeout=30s", "spring.lifecycle.timeout-per-shutdown-phase=60s")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				throwErrorOnEveryWorker(server);
				for (int id = 0; id < TASK_WORKERS; id++) {
					server.task(new WhoAmI(), id);
				}
				Thread closer = new Thread(context::close, "closer");
				closer.start();
				try {
					closer.join(WAIT.toMillis());
					assertThat(closer.isAlive()).as("the context is still closing after %s", WAIT).isFalse();
				}
				finally {
					closer.join(Duration.ofSeconds(45).toMillis());
				}
			});
		assertThat(output).contains("java.lang.AssertionError: task error on purpose 0");
	}

	@ParameterizedTest
	@CsvSource({ "finish-throws, java.lang.IllegalStateException: finish failed on purpose",
			"finish-error, java.lang.AssertionError: finish error on purpose" })
	void throwingFinishLeavesTheEventLoopServingItsConnections(String message, String logged, CapturedOutput output) {
		this.runner.run((context) -> {
			int port = context.getBean(SwooleServer.class).port();
			try (TestClient client = TestClient.connect(port); TestClient other = TestClient.connect(port)) {
				client.send(message + "\r\n");
				awaiting().untilAsserted(() -> assertThat(output).contains(logged));
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
				assertThat(other.send("also fine\r\n").readLine()).isEqualTo("also fine -> OK");
			}
		});
	}

	@Test
	void errorInOnFinishIsLoggedAsAFailureOfThatFinishHandler(CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("finish-error\r\n");
				awaiting().untilAsserted(() -> assertThat(output).contains("finish error on purpose"));
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
			}
		});
		assertThat(output).containsPattern("Finish handler of Task\\[id=\\d+, data=java.lang.String] failed")
			.contains("java.lang.AssertionError: finish error on purpose");
	}

	@ParameterizedTest
	@CsvSource({ "receive-throws, java.lang.IllegalStateException: receive failed on purpose",
			"receive-error, java.lang.AssertionError: receive error on purpose" })
	void throwingReceiveCostsOnlyThatMessage(String message, String logged, CapturedOutput output) {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send(message + "\r\n");
				awaiting().untilAsserted(() -> assertThat(output).contains(logged));
				assertThat(client.send("fine\r\n").readLine()).isEqualTo("fine -> OK");
				assertThat(client.send("still fine\r\n").readLine()).isEqualTo("still fine -> OK");
			}
		});
	}

	@Test
	void finishForAVanishedConnectionStillRunsAndItsSendReturnsFalse(CapturedOutput output) {
		this.oneTaskWorker.run((context) -> {
			ThrowingHandlers handlers = context.getBean(ThrowingHandlers.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("wait\r\n");
				await().until(() -> handlers.waiting.getCount() == 0);
				// an abortive close (RST): the client is gone, unlike a half-close (FIN),
				// whose replies are still sent
				client.socket().setSoLinger(true, 0);
			}
			await().until(() -> handlers.closed.size() == 1);
			handlers.release.countDown();
			await().until(() -> handlers.lateSends.size() == 1);
			assertThat(handlers.lateSends).containsExactly(false);
		});
		assertThat(output).doesNotContain(" ERROR ");
	}

	@Test
	void taskThrowingAVirtualMachineErrorFails(CapturedOutput output) {
		this.runner.run((context) -> {
			CompletableFuture<Object> future = context.getBean(SwooleServer.class)
				.taskAsync(new Fatal(new CompletableFuture<>(), new CountDownLatch(0)));
			assertThat(future).failsWithin(WAIT)
				.withThrowableThat()
				.havingRootCause()
				.isInstanceOf(InternalError.class)
				.withMessage("test");
		});
		assertThat(output).contains("java.lang.InternalError: test");
	}

	@Test
	void tasksQueuedForAWorkerThatThrewAVirtualMachineErrorRunOnThatWorkerId(CapturedOutput output) {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			Fatal fatal = new Fatal(new CompletableFuture<>(), new CountDownLatch(1));
			Queue<String> ranOn = new ConcurrentLinkedQueue<>();
			try {
				CompletableFuture<Object> failed = server.taskAsync(fatal);
				int workerId = fatal.ranOn().get(WAIT.toSeconds(), TimeUnit.SECONDS).workerId();
				for (int i = 0; i < 3; i++) {
					server.task(new WhoAmI(), workerId, (task, result) -> ranOn.add((String) result));
				}
				fatal.release().countDown();
				assertThat(failed).failsWithin(WAIT);
				awaiting().untilAsserted(() -> assertThat(ranOn).hasSize(3));
				assertThat(ranOn).containsOnly(workerId + " on swoole-task-worker-" + workerId);
			}
			finally {
				fatal.release().countDown();
			}
		});
		assertThat(output).contains("java.lang.InternalError: test");
	}

	@Test
	void healthIsUpAgainAfterAWorkerThrewAVirtualMachineError(CapturedOutput output) {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			NettySwooleServer netty = context.getBean(NettySwooleServer.class);
			Fatal fatal = new Fatal(new CompletableFuture<>(), new CountDownLatch(0));
			assertThat(server.taskAsync(fatal)).failsWithin(WAIT);
			Ran ran = fatal.ranOn().get(WAIT.toSeconds(), TimeUnit.SECONDS);
			CompletableFuture<Object> next = new CompletableFuture<>();
			server.task(new WhoAmI(), ran.workerId(), (task, result) -> next.complete(result));
			// past the error: the thread that threw has either ended or gone on to run
			// the next task
			awaiting().alias("the thread that threw ended, or ran the next task")
				.until(() -> ran.thread().getState() == Thread.State.TERMINATED || next.isDone());
			awaiting().untilAsserted(() -> assertThat(netty.isHealthy()).as("healthy").isTrue());
		});
		assertThat(output).contains("java.lang.InternalError: test");
	}

	/**
	 * Waits for a condition, leaving errors a thread does not catch to that thread: a
	 * worker dying of one shows as a task that never runs, not as the waiting test's
	 * failure.
	 */
	private static ConditionFactory awaiting() {
		return await().atMost(WAIT).dontCatchUncaughtExceptions();
	}

	/**
	 * Has each task worker throw an {@link AssertionError}, and waits until every one
	 * has.
	 */
	private static void throwErrorOnEveryWorker(SwooleServer server) {
		Queue<Integer> thrown = new ConcurrentLinkedQueue<>();
		for (int id = 0; id < TASK_WORKERS; id++) {
			server.task(new Boom(id, thrown), id);
		}
		awaiting().untilAsserted(() -> assertThat(thrown).hasSize(TASK_WORKERS));
	}

	record Boom(int id, Queue<Integer> thrown) {

		Boom(int id) {
			this(id, new ConcurrentLinkedQueue<>());
		}

	}

	record Ran(int workerId, Thread thread) {

	}

	record Fatal(CompletableFuture<Ran> ranOn, CountDownLatch release) {

	}

	record WhoAmI() {

	}

	record Failure(Task task, Throwable exception, String thread) {

	}

	/**
	 * Records each failure, and answers the client of a task it sent.
	 */
	static class RecordingErrorHandler implements TaskErrorHandler {

		final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

		@Override
		public void onError(Task task, Connection connection, Throwable exception) {
			this.failures.add(new Failure(task, exception, Thread.currentThread().getName()));
			if (connection != null) {
				connection.send("error: " + exception.getMessage() + "\n");
			}
		}

	}

	/**
	 * Echoes each line through a task, throwing where a line or a task's data asks for
	 * it: an exception ({@code *-throws}) or an {@link Error} ({@code *-error},
	 * {@link Boom}, {@link Fatal}).
	 */
	static class ThrowingHandlers {

		final CountDownLatch waiting = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final Queue<Boolean> lateSends = new ConcurrentLinkedQueue<>();

		final Queue<Long> closed = new ConcurrentLinkedQueue<>();

		@OnReceive
		void receive(SwooleServer server, String data) {
			if (data.equals("receive-throws")) {
				throw new IllegalStateException("receive failed on purpose");
			}
			if (data.equals("receive-error")) {
				throw new AssertionError("receive error on purpose");
			}
			server.task(data);
		}

		@OnTask
		String task(String data) throws InterruptedException {
			if (data.equals("task-throws")) {
				throw new IllegalStateException("task failed on purpose");
			}
			if (data.equals("wait")) {
				this.waiting.countDown();
				this.release.await(30, TimeUnit.SECONDS);
			}
			return data + " -> OK";
		}

		@OnTask
		String boom(Boom boom) {
			boom.thrown().add(boom.id());
			throw new AssertionError("task error on purpose " + boom.id());
		}

		@OnTask
		String fatal(Task task, Fatal fatal) throws InterruptedException {
			fatal.ranOn().complete(new Ran(task.workerId(), Thread.currentThread()));
			fatal.release().await(30, TimeUnit.SECONDS);
			throw new InternalError("test");
		}

		@OnTask
		String whoAmI(Task task, WhoAmI whoAmI) {
			return task.workerId() + " on " + Thread.currentThread().getName();
		}

		@OnFinish
		void finish(Connection connection, String result) {
			if (result.startsWith("finish-throws")) {
				throw new IllegalStateException("finish failed on purpose");
			}
			if (result.startsWith("finish-error")) {
				throw new AssertionError("finish error on purpose");
			}
			if (connection == null) {
				// a task the test dispatched itself
				return;
			}
			boolean sent = connection.send(result + "\n");
			if (result.startsWith("wait")) {
				this.lateSends.add(sent);
			}
		}

		@OnClose
		void close(long fd) {
			this.closed.add(fd);
		}

	}

}
