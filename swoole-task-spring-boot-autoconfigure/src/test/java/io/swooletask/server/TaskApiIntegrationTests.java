package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class TaskApiIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ApiHandlers.class)
		.withPropertyValues("swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true");

	@Test
	void targetedTasksRunOnTheirWorkerInDispatchOrder() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			ApiHandlers handlers = context.getBean(ApiHandlers.class);
			ExecutorService producers = Executors.newFixedThreadPool(4);
			for (int p = 0; p < 4; p++) {
				int producer = p;
				producers.execute(() -> {
					for (int seq = 0; seq < 500; seq++) {
						server.task(new Record(producer, seq), producer % 2);
					}
				});
			}
			producers.shutdown();
			await().until(() -> handlers.recorded.size() == 2000);
			for (int p = 0; p < 4; p++) {
				int producer = p;
				List<Record> ofProducer = handlers.recorded.stream().filter((r) -> r.producer() == producer).toList();
				assertThat(ofProducer).extracting(Record::workerId).containsOnly(producer % 2);
				assertThat(ofProducer).extracting(Record::seq).isSorted().hasSize(500);
			}
		});
	}

	@Test
	void slowTargetedTaskDoesNotHoldBackUntargetedTasks() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			CountDownLatch release = new CountDownLatch(1);
			server.task(new Block(release), 0);
			List<CompletableFuture<String>> others = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				others.add(server.taskAsync("quick" + i));
			}
			try {
				CompletableFuture.allOf(others.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
				assertThat(release.getCount()).isOne();
				assertThat(others).allSatisfy((future) -> assertThat(future.join()).endsWith(" -> OK"));
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void quickTaskFinishesWhileTheLongTargetedTaskDispatchedAfterItRuns() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			ApiHandlers handlers = context.getBean(ApiHandlers.class);
			try (TestClient client = TestClient.connect(server.port())) {
				for (int round = 0; round < 20; round++) {
					await().until(() -> server.stats().taskIdleWorkerNum() == 2);
					handlers.hold = new CountDownLatch(1);
					try {
						client.send("pair:quick" + round + "\r\n");
						assertThat(client.readLine()).as("round %d", round)
							.isEqualTo("finish quick" + round + " -> OK");
					}
					finally {
						handlers.hold.countDown();
					}
					assertThat(client.readLine()).isEqualTo("finish released");
				}
			}
		});
	}

	@Test
	void outOfRangeWorkerIsRejectedNamingTheRange() {
		this.runner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(SwooleServer.class).task("x", 2))
			.withMessageContaining("task workers are 0 to 1 (swoole.server.task-worker-num=2)"));
	}

	@Test
	void callbackReplacesOnFinish() {
		this.runner.run((context) -> {
			ApiHandlers handlers = context.getBean(ApiHandlers.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("callback:a\r\n").readLine()).isEqualTo("callback a -> OK");
				assertThat(client.send("plain:b\r\n").readLine()).isEqualTo("finish b -> OK");
			}
			assertThat(handlers.finished).containsExactly("b -> OK");
		});
	}

	@Test
	void targetedCallbackRunsOnThatWorker() {
		this.runner.run((context) -> {
			CompletableFuture<Object> result = new CompletableFuture<>();
			context.getBean(SwooleServer.class)
				.task(new Record(9, 0), 1, (task, r) -> result.complete(task.workerId()));
			assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(1);
		});
	}

	@Test
	void taskAsyncCompletesWithTheFirstResult() {
		this.runner.run((context) -> assertThat(
				context.getBean(SwooleServer.class).<String>taskAsync("a").get(10, TimeUnit.SECONDS))
			.isEqualTo("a -> OK"));
	}

	@Test
	void taskAsyncFailsWithTheTasksException() {
		this.runner.run((context) -> {
			CompletableFuture<Object> future = context.getBean(SwooleServer.class).taskAsync(new Fail("boom"));
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessage("boom");
		});
	}

	@Test
	void taskAsyncFailsClearlyWhenTheTaskGivesNoResult() {
		this.runner.run((context) -> {
			CompletableFuture<Object> future = context.getBean(SwooleServer.class).taskAsync(new Nothing());
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(TaskNoResultException.class)
				.withMessageContaining("ended without a result");
		});
	}

	@Test
	void taskwaitReturnsTheResult() {
		this.runner.run((context) -> assertThat(
				context.getBean(SwooleServer.class).<String>taskwait("w", Duration.ofSeconds(10)))
			.isEqualTo("w -> OK"));
	}

	@Test
	void taskwaitTimesOut() {
		this.runner.run((context) -> {
			CountDownLatch release = new CountDownLatch(1);
			try {
				assertThatExceptionOfType(TaskTimeoutException.class).isThrownBy(
						() -> context.getBean(SwooleServer.class).taskwait(new Block(release), Duration.ofMillis(200)))
					.withMessageContaining("No result within PT0.2S");
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void taskwaitReportsTheTasksFailure() {
		this.runner.run((context) -> assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> context.getBean(SwooleServer.class).taskwait(new Fail("bad"), Duration.ofSeconds(10)))
			.havingCause()
			.withMessage("bad"));
	}

	@Test
	void taskWaitMultiKeepsInputOrderAndMarksTimeouts() {
		this.runner.run((context) -> {
			CountDownLatch release = new CountDownLatch(1);
			try {
				List<TaskOutcome> outcomes = context.getBean(SwooleServer.class)
					.taskWaitMulti(List.of("one", new Block(release), new Fail("f"), "two"), Duration.ofSeconds(5));
				assertThat(outcomes).hasSize(4);
				assertThat(outcomes.get(0)).isEqualTo(new TaskOutcome("one -> OK", null, false));
				assertThat(outcomes.get(1).timedOut()).isTrue();
				assertThat(outcomes.get(1).isSuccess()).isFalse();
				assertThat(outcomes.get(2).failure()).hasMessage("f");
				assertThat(outcomes.get(3)).isEqualTo(new TaskOutcome("two -> OK", null, false));
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void taskWaitMultiHasNoSwooleLimitOf1023Tasks() {
		this.runner.run((context) -> {
			List<String> data = new ArrayList<>();
			for (int i = 0; i < 2000; i++) {
				data.add("m" + i);
			}
			List<TaskOutcome> outcomes = context.getBean(SwooleServer.class)
				.taskWaitMulti(data, Duration.ofSeconds(30));
			assertThat(outcomes).extracting(TaskOutcome::result)
				.containsExactlyElementsOf(data.stream().map((d) -> d + " -> OK").toList());
		});
	}

	@Test
	void taskAsyncMultiCompletesWithEveryOutcomeInInputOrder() {
		this.runner.run((context) -> {
			CountDownLatch release = new CountDownLatch(1);
			try {
				CompletableFuture<List<TaskOutcome>> all = context.getBean(SwooleServer.class)
					.taskAsyncMulti(List.of("one", new Block(release), new Fail("f"), "two"), Duration.ofSeconds(5));
				assertThat(all).succeedsWithin(Duration.ofSeconds(30))
					.asInstanceOf(InstanceOfAssertFactories.LIST)
					.satisfiesExactly((one) -> assertThat(one).isEqualTo(new TaskOutcome("one -> OK", null, false)),
							(blocked) -> assertThat(blocked).isEqualTo(new TaskOutcome(null, null, true)),
							(failed) -> assertThat(((TaskOutcome) failed).failure()).hasMessage("f"),
							(two) -> assertThat(two).isEqualTo(new TaskOutcome("two -> OK", null, false)));
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void taskAsyncMultiOnAStoppedServerHasTheRefusalsAsOutcomes() {
		this.runner.run((context) -> {
			NettySwooleServer server = context.getBean(NettySwooleServer.class);
			server.stop();
			assertThat(server.taskAsyncMulti(List.of("a", "b"), Duration.ofSeconds(1)))
				.succeedsWithin(Duration.ofSeconds(10))
				.asInstanceOf(InstanceOfAssertFactories.list(TaskOutcome.class))
				.allSatisfy((outcome) -> assertThat(outcome.failure()).isInstanceOf(ServerShutdownException.class));
		});
	}

	@Test
	void taskAsyncMultiTakesATimeoutTooLongForNanoseconds() {
		this.runner.run((context) -> assertThat(
				context.getBean(SwooleServer.class).taskAsyncMulti(List.of("a"), Duration.ofSeconds(Long.MAX_VALUE)))
			.succeedsWithin(Duration.ofSeconds(10))
			.isEqualTo(List.of(new TaskOutcome("a -> OK", null, false))));
	}

	@Test
	void taskAsyncMultiGivesDataNoTaskTakesItsRefusalAsAnOutcome() {
		this.runner.run((context) -> assertThat(
				context.getBean(SwooleServer.class).taskAsyncMulti(List.of("a", 42.0, "b"), Duration.ofSeconds(10)))
			.succeedsWithin(Duration.ofSeconds(10))
			.asInstanceOf(InstanceOfAssertFactories.list(TaskOutcome.class))
			.satisfiesExactly((a) -> assertThat(a.result()).isEqualTo("a -> OK"),
					(unroutable) -> assertThat(unroutable.failure()).isInstanceOf(IllegalArgumentException.class),
					(b) -> assertThat(b.result()).isEqualTo("b -> OK")));
	}

	@Test
	void taskAsyncMultiOnAnEventLoopDeliversItsOutcomes() {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("multi:a,b,c\r\n").readLine()).isEqualTo("multi [a -> OK, b -> OK, c -> OK]");
			}
		});
	}

	@Test
	void waitingOnAnEventLoopIsRefused() {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("wait:x\r\n").readLine())
					.startsWith("refused: taskwait was called on event loop swoole-worker")
					.contains("Use taskAsync");
			}
		});
	}

	@Test
	void waitingInsideATaskIsRefused() {
		this.runner.run((context) -> {
			CompletableFuture<Object> future = context.getBean(SwooleServer.class).taskAsync(new WaitInside());
			assertThatExceptionOfType(Exception.class).isThrownBy(() -> future.get(10, TimeUnit.SECONDS))
				.havingCause()
				.isInstanceOf(IllegalStateException.class)
				.withMessageContaining("taskWaitMulti was called inside a task on swoole-task-worker-");
		});
	}

	@Test
	void eachFinishIsOneFinishEvent() {
		this.runner.run((context) -> {
			Queue<Object> results = new ConcurrentLinkedQueue<>();
			context.getBean(SwooleServer.class).task(new Multi(3), (task, result) -> results.add(result));
			await().until(() -> results.size() == 4);
			assertThat(results).containsExactly(1, 2, 3, "last");
		});
	}

	@Test
	void finishOutsideATaskIsRefused() {
		this.runner.run((context) -> assertThatIllegalStateException()
			.isThrownBy(() -> context.getBean(SwooleServer.class).finish("x"))
			.withMessageContaining("finish was called outside a task"));
	}

	@Test
	void taskDispatchedInsideATaskFinishesOnAnEventLoop() {
		this.runner.run((context) -> {
			ApiHandlers handlers = context.getBean(ApiHandlers.class);
			context.getBean(SwooleServer.class).task(new Nested("inner"));
			await().until(() -> handlers.nestedFinishThread.get("inner") != null);
			assertThat(handlers.nestedFinishThread.get("inner")).startsWith("swoole-worker");
		});
	}

	@Test
	void taskSeesItsMetadata() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			CompletableFuture<Task> seen = new CompletableFuture<>();
			long id = server.task(new Record(7, 7), 1, (task, result) -> seen.complete(task));
			Task task = seen.get(10, TimeUnit.SECONDS);
			assertThat(task.id()).isEqualTo(id);
			assertThat(task.workerId()).isEqualTo(1);
			assertThat(task.srcWorkerId()).isEqualTo(-1);
			assertThat(task.data()).isEqualTo(new Record(7, 7));
			assertThat(task.dispatchTime()).isNotNull();
		});
	}

	@Test
	void taskIdsAreGlobalAndIncreasing() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			long first = server.task("a");
			long second = server.task("b", 1);
			long third = server.task("c", (task, r) -> {
			});
			assertThat(second).isGreaterThan(first);
			assertThat(third).isGreaterThan(second);
		});
	}

	record Record(int producer, int seq, int workerId) {

		Record(int producer, int seq) {
			this(producer, seq, -1);
		}

	}

	record Block(CountDownLatch release) {

	}

	record Fail(String message) {

	}

	record Nothing() {

	}

	record Multi(int count) {

	}

	record Nested(String id) {

	}

	record WaitInside() {

	}

	static class ApiHandlers {

		final Queue<Record> recorded = new ConcurrentLinkedQueue<>();

		final Queue<String> finished = new ConcurrentLinkedQueue<>();

		final Map<String, String> nestedFinishThread = new ConcurrentHashMap<>();

		volatile CountDownLatch hold = new CountDownLatch(0);

		@OnReceive
		void receive(SwooleServer server, Connection connection, String line) {
			String[] parts = line.split(":", 2);
			switch (parts[0]) {
				case "pair" -> {
					server.task(parts[1]);
					server.task(new Block(this.hold), 0);
				}
				case "multi" -> server.taskAsyncMulti(List.of(parts[1].split(",")), Duration.ofSeconds(10))
					.thenAccept((outcomes) -> connection
						.send("multi " + outcomes.stream().map(TaskOutcome::result).toList() + "\n"));
				case "callback" ->
					server.task(parts[1], (task, result) -> connection.send("callback " + result + "\n"));
				case "wait" -> {
					try {
						server.taskwait(parts[1], Duration.ofSeconds(1));
					}
					catch (IllegalStateException ex) {
						connection.send("refused: " + ex.getMessage() + "\n");
					}
				}
				default -> server.task(parts[1]);
			}
		}

		@OnTask
		String text(String data) {
			return data + " -> OK";
		}

		@OnTask
		Object record(Task task, Record data) {
			Record record = new Record(data.producer(), data.seq(), task.workerId());
			this.recorded.add(record);
			return data;
		}

		@OnTask
		String block(Block block) throws InterruptedException {
			block.release().await(30, TimeUnit.SECONDS);
			return "released";
		}

		@OnTask
		String fail(Fail fail) {
			throw new IllegalStateException(fail.message());
		}

		@OnTask
		Object nothing(Nothing nothing) {
			return null;
		}

		@OnTask
		void multi(SwooleServer server, Task task, Multi multi) {
			for (int i = 1; i <= multi.count(); i++) {
				task.finish(i);
			}
			server.finish("last");
		}

		@OnTask
		void nested(SwooleServer server, Nested nested) {
			server.task("x",
					(task, result) -> this.nestedFinishThread.put(nested.id(), Thread.currentThread().getName()));
		}

		@OnTask
		Object waitInside(SwooleServer server, WaitInside data) {
			return server.taskWaitMulti(List.of("x"), Duration.ofSeconds(1));
		}

		@OnFinish
		void finish(Connection connection, String result) {
			this.finished.add(result);
			if (connection != null) {
				connection.send("finish " + result + "\n");
			}
		}

		@OnFinish
		void others(Object result) {
		}

	}

}
