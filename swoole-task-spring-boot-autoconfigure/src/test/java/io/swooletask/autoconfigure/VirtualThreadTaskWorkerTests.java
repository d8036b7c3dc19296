package io.swooletask.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring Boot's {@code spring.threads.virtual.enabled} switches task workers to virtual
 * threads on Java 21 or later. CI runs the suite a second time on the newest JDK it has,
 * so both branches are exercised.
 */
@ExtendWith(OutputCaptureExtension.class)
class VirtualThreadTaskWorkerTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ThreadReporter.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2",
				"swoole.server.task-max-request=3", "spring.threads.virtual.enabled=true");

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21,
			disabledReason = "virtual threads need Java 21; .ci/run runs this on its" + " JDK 21+ pass")
	void taskWorkersAreVirtualThreadsKeepingTheirIdsAndLimits() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			for (int i = 0; i < 10; i++) {
				assertThat(report(server, i % 2))
					.isEqualTo("virtual swoole-task-worker-" + (i % 2) + " on worker " + (i % 2));
			}
			assertThat(server.stats().taskWorkerNum()).isEqualTo(2);
			assertThat(server.stats().taskCompleted()).isEqualTo(10);
		});
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "on Java 21 and later the switch is honoured, which"
			+ " taskWorkersAreVirtualThreadsKeepingTheirIdsAndLimits tests")
	void switchIsIgnoredWithOneInfoLineBeforeJava21(CapturedOutput output) {
		this.runner.run((context) -> {
			assertThat(report(context.getBean(SwooleServer.class), 1))
				.isEqualTo("platform swoole-task-worker-1 on worker 1");
		});
		assertThat(output).containsOnlyOnce("spring.threads.virtual.enabled is ignored for Swoole task workers on Java "
				+ Runtime.version().feature() + ": virtual threads need Java 21 or later");
	}

	private static String report(SwooleServer server, int worker) throws Exception {
		CompletableFuture<String> report = new CompletableFuture<>();
		server.<String>task(worker, worker, (task, result) -> report.complete(result));
		return report.get(10, TimeUnit.SECONDS);
	}

	static class ThreadReporter {

		@OnReceive
		void receive(String data) {
		}

		@OnTask
		String report(Task task, Integer target) throws ReflectiveOperationException {
			boolean virtual = Runtime.version().feature() >= 21
					&& (boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
			return (virtual ? "virtual " : "platform ") + Thread.currentThread().getName() + " on worker "
					+ task.workerId();
		}

	}

}
