package io.swooletask.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import io.swooletask.annotation.OnTask;
import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A task that fails with a {@link CancellationException} (a cancelled future it joined,
 * say) is a failed task like any other: {@code taskAsyncMulti} still completes, with that
 * failure as its outcome.
 */
class TaskAsyncMultiCancellationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(Handlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=1", "swoole.server.task-worker-num=2");

	@Test
	void aTaskFailingWithACancellationExceptionIsAnOutcome() {
		this.runner.run((context) -> {
			CompletableFuture<List<TaskOutcome>> all = context.getBean(SwooleServer.class)
				.taskAsyncMulti(List.of("a", new Cancelled()), Duration.ofSeconds(30));
			assertThat(all).succeedsWithin(Duration.ofSeconds(10))
				.asInstanceOf(InstanceOfAssertFactories.list(TaskOutcome.class))
				.satisfiesExactly((a) -> assertThat(a.result()).isEqualTo("a!"),
						(cancelled) -> assertThat(cancelled.failure()).isInstanceOf(CancellationException.class));
		});
	}

	@Test
	void aTaskFailingWithACancellationExceptionAfterTheTimeoutIsAnOutcome() {
		this.runner.run((context) -> {
			try {
				CompletableFuture<List<TaskOutcome>> all = context.getBean(SwooleServer.class)
					.taskAsyncMulti(List.of(new Cancelled(), new Never()), Duration.ofSeconds(5));
				assertThat(all).succeedsWithin(Duration.ofSeconds(30))
					.asInstanceOf(InstanceOfAssertFactories.list(TaskOutcome.class))
					.satisfiesExactly(
							(cancelled) -> assertThat(cancelled.failure()).isInstanceOf(CancellationException.class),
							(never) -> assertThat(never.timedOut()).isTrue());
			}
			finally {
				context.getBean(Handlers.class).never.complete("released");
			}
		});
	}

	@Test
	void taskWaitMultiHasACancellationExceptionAsItsTasksOutcome() {
		this.runner.run((context) -> assertThat(context.getBean(SwooleServer.class)
			.taskWaitMulti(List.of(new Cancelled(), "b"), Duration.ofSeconds(10)))
			.satisfiesExactly((cancelled) -> assertThat(cancelled.failure()).isInstanceOf(CancellationException.class),
					(b) -> assertThat(b.result()).isEqualTo("b!")));
	}

	@Test
	void taskwaitReportsACancellationExceptionAsTheTasksFailure() {
		this.runner.run((context) -> assertThatExceptionOfType(TaskFailedException.class)
			.isThrownBy(() -> context.getBean(SwooleServer.class).taskwait(new Cancelled(), Duration.ofSeconds(10)))
			.withCauseInstanceOf(CancellationException.class));
	}

	record Cancelled() {

	}

	record Never() {

	}

	static class Handlers {

		private final CompletableFuture<String> never = new CompletableFuture<>();

		@OnTask
		String text(String data) {
			return data + "!";
		}

		@OnTask
		String cancelled(Cancelled data) {
			CompletableFuture<String> upstream = new CompletableFuture<>();
			upstream.cancel(false);
			return upstream.join();
		}

		@OnTask
		String never(Never data) throws Exception {
			// parks until the test releases it, long after the timeout of the tasks
			return this.never.get(1, java.util.concurrent.TimeUnit.MINUTES);
		}

	}

}
