package io.swooletask.server;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Which handler receives a task's results and failures, as {@code docs/handlers.md} tells
 * it. One event loop, so that the finish events of tasks dispatched one after the other
 * run in that order.
 */
@ExtendWith(OutputCaptureExtension.class)
class HandlerEventsIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(RoutedHandlers.class)
		.withBean(RecordingErrorHandler.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2");

	@Test
	void finishOfATaskDispatchedOutsideAConnectionHasNoConnection() {
		this.runner.run((context) -> {
			RoutedHandlers handlers = context.getBean(RoutedHandlers.class);
			context.getBean(SwooleServer.class).task("runner");
			await().atMost(WAIT).until(() -> handlers.finishes.containsKey("runner -> OK"));
			assertThat(handlers.finishes.get("runner -> OK")).isEmpty();
		});
	}

	@Test
	void taskAsyncResultDoesNotReachOnFinish() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			RoutedHandlers handlers = context.getBean(RoutedHandlers.class);
			assertThat(server.<String>taskAsync("future")).succeedsWithin(WAIT).isEqualTo("future -> OK");
			server.task("plain");
			await().atMost(WAIT).until(() -> handlers.finishes.containsKey("plain -> OK"));
			assertThat(handlers.finishes).containsOnlyKeys("plain -> OK");
		});
	}

	@Test
	void eachFinishCallIsOneOnFinishEvent() {
		this.runner.run((context) -> {
			RoutedHandlers handlers = context.getBean(RoutedHandlers.class);
			context.getBean(SwooleServer.class).task(new Repeat(3));
			await().atMost(WAIT).until(() -> handlers.finished.size() == 3);
			assertThat(handlers.finished).containsExactly("repeat 1", "repeat 2", "repeat 3");
		});
	}

	@Test
	void resultThatNoOnFinishMethodTakesIsLoggedAsAFailedFinish(CapturedOutput output) {
		this.runner.run((context) -> {
			context.getBean(SwooleServer.class).task(new Unrouted());
			await().atMost(WAIT)
				.untilAsserted(() -> assertThat(output).containsPattern("Finish handler of Task\\[id=\\d+, data=")
					.contains("No @OnFinish method takes " + Unrouted.class.getName()));
		});
	}

	@Test
	void dataOfTwoUnrelatedHandledTypesIsRefusedAtTheCallNotAtStartUp() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			assertThatIllegalArgumentException().isThrownBy(() -> server.taskAsync(new Both()))
				.withMessageContaining("Several @OnTask methods take " + Both.class.getName());
			assertThat(server.stats().taskCount()).isZero();
		});
	}

	@Test
	void failureOfATaskWithACallbackGoesToTheErrorHandler() {
		this.runner.run((context) -> {
			RecordingErrorHandler errors = context.getBean(RecordingErrorHandler.class);
			long id = context.getBean(SwooleServer.class).task(new Fail(), (task, result) -> {
			});
			await().atMost(WAIT).until(() -> !errors.failedTaskIds.isEmpty());
			assertThat(errors.failedTaskIds).containsExactly(id);
		});
	}

	record Repeat(int count) {

	}

	record Unrouted() {

	}

	record Fail() {

	}

	interface Greeting {

	}

	interface Farewell {

	}

	record Both() implements Greeting, Farewell {

	}

	static class RecordingErrorHandler implements TaskErrorHandler {

		final Queue<Long> failedTaskIds = new ConcurrentLinkedQueue<>();

		@Override
		public void onError(Task task, Connection connection, Throwable exception) {
			this.failedTaskIds.add(task.id());
		}

	}

	static class RoutedHandlers {

		final Map<String, Optional<Connection>> finishes = new ConcurrentHashMap<>();

		final Queue<String> finished = new ConcurrentLinkedQueue<>();

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String text(String data) {
			return data + " -> OK";
		}

		@OnTask
		void repeat(Task task, Repeat repeat) {
			for (int i = 1; i <= repeat.count(); i++) {
				task.finish("repeat " + i);
			}
		}

		@OnTask
		Unrouted unrouted(Unrouted data) {
			return data;
		}

		@OnTask
		String fail(Fail data) {
			throw new IllegalStateException("task failure on purpose");
		}

		@OnTask
		String greeting(Greeting data) {
			return "greeting";
		}

		@OnTask
		String farewell(Farewell data) {
			return "farewell";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			this.finishes.put(result, Optional.ofNullable(connection));
			this.finished.add(result);
		}

	}

}
