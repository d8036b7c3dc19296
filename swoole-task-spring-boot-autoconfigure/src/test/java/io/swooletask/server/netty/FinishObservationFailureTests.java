package io.swooletask.server.netty;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.Task;
import io.swooletask.server.TaskOverflow;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An observation that cannot open for a finish event costs that event, not the future:
 * the future of a task whose method returned a result completes, rather than staying
 * pending.
 */
class FinishObservationFailureTests {

	private TaskRuntime runtime;

	@AfterEach
	void stop() {
		this.runtime.stop(System.nanoTime());
	}

	@Test
	void aFutureIsNotLeftPendingWhenItsFinishObservationThrows() {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new Handlers(), "handlers");
		MessageObservations throwing = new MessageObservations() {
			@Override
			public Step finish(Task task, String handler, Object parent) {
				throw new IllegalStateException("deliberate: the observation cannot open");
			}
		};
		this.runtime = new TaskRuntime(null, new ConnectionRegistry(1, true, 0), processor.handlers(), null,
				new TaskWorkerSettings(1, 0, 0, TaskWorkerSettings.WorkerThreads.platform(), 16,
						TaskOverflow.BACKPRESSURE, TimeUnit.SECONDS.toNanos(1), 1, true),
				() -> {
				}, TaskObserver.NONE, throwing, TaskRuntime.local());
		this.runtime.start();
		TaskOrigin origin = new TaskOrigin(Runnable::run, -1, null, true);
		CompletableFuture<Object> future = new CompletableFuture<>();
		this.runtime.dispatch("data", -1, origin, future);
		assertThat(future).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("data -> OK");
	}

	static class Handlers {

		@OnTask
		String text(String data) {
			return data + " -> OK";
		}

	}

}
