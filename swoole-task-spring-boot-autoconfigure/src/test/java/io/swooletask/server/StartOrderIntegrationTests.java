package io.swooletask.server;

import java.time.Duration;

import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens around the server's start: a task dispatched before it, and a start that
 * fails half way.
 */
class StartOrderIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(EchoTaskHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1");

	@Test
	void aTaskDispatchedBeforeTheServerStartsIsRefusedWithTheReason() {
		this.runner.withBean(EarlyDispatcher.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("The Swoole server has not started")
				.hasMessageContaining("SwooleServerStartedEvent"));
	}

	@Test
	void aCustomizerThatFailsLeavesNoEventLoopOrTaskWorkerRunning() {
		this.runner.withBean(SwooleServerCustomizer.class, () -> (server) -> {
			throw new IllegalStateException("customizer failed");
		}).run((context) -> {
			assertThat(context).hasFailed();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> Thread.getAllStackTraces()
					.keySet()
					.stream()
					.noneMatch((thread) -> thread.isAlive() && thread.getName().startsWith("swoole-")));
		});
	}

	static class EarlyDispatcher implements InitializingBean {

		private final SwooleServer server;

		EarlyDispatcher(SwooleServer server) {
			this.server = server;
		}

		@Override
		public void afterPropertiesSet() {
			this.server.task("too early");
		}

	}

}
