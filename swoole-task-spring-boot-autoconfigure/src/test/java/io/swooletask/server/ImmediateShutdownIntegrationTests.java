package io.swooletask.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code swoole.server.shutdown: immediate}, as Spring Boot's {@code server.shutdown}:
 * queued tasks are reported unfinished at once, running tasks are not waited for,
 * connections close without their unwritten replies. And the start-up warning when
 * {@code shutdown-timeout} would be cut short by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}.
 */
@ExtendWith(OutputCaptureExtension.class)
class ImmediateShutdownIntegrationTests {

	/** A shutdown timeout no test waits for: whatever returns did not wait for it. */
	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(Handlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.shutdown-timeout=10m", "spring.lifecycle.timeout-per-shutdown-phase=10m",
				"swoole.server.buffer-output-size=64MB");

	@Test
	void queuedTasksFailAtOnceAndTheRunningOneIsNotWaitedFor(CapturedOutput output) {
		CountDownLatch release = new CountDownLatch(1);
		try {
			this.runner.withPropertyValues("swoole.server.shutdown=immediate").run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				CompletableFuture<Object> running = server.taskAsync(release);
				await().until(() -> server.stats().taskRunning() == 1);
				CompletableFuture<Object> queued = server.taskAsync("queued");
				CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
				await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
				assertThat(release.getCount()).as("the running task was not released").isOne();
				assertThat(queued).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat()
					.withCauseInstanceOf(ServerShutdownException.class);
				assertThat(running).failsWithin(Duration.ofSeconds(10))
					.withThrowableThat()
					.withCauseInstanceOf(ServerShutdownException.class);
				assertThat(output).contains("Swoole server stopping at once (swoole.server.shutdown=immediate)");
			});
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void theUnfinishedTasksWarningNamesTheImmediateShutdownNotTheTimeout(CapturedOutput output) {
		CountDownLatch release = new CountDownLatch(1);
		try {
			this.runner.withPropertyValues("swoole.server.shutdown=immediate").run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				server.taskAsync(release);
				await().until(() -> server.stats().taskRunning() == 1);
				server.taskAsync("queued");
				context.close();
				assertThat(output).contains("tasks unfinished at shutdown")
					.contains("still running (swoole.server.shutdown=immediate)")
					.doesNotContain("(swoole.server.shutdown-timeout)");
			});
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void theEventLoopsEndAfterAnImmediateShutdownWithoutAnError(CapturedOutput output) {
		this.runner.withPropertyValues("swoole.server.shutdown=immediate").run((context) -> {
			context.close();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> Thread.getAllStackTraces()
					.keySet()
					.stream()
					.noneMatch((thread) -> thread.getName().startsWith("swoole-worker-")));
			assertThat(output).doesNotContain("onErrorDropped", "couldn't be disposed", "did not terminate");
		});
	}

	@Test
	void connectionsCloseWithoutTheirUnwrittenReplies() {
		this.runner.withPropertyValues("swoole.server.shutdown=immediate").run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (Socket client = connect(server.port())) {
				client.getOutputStream().write("big".getBytes());
				await().until(() -> context.getBean(Handlers.class).sent);
				context.close();
				assertThat(readAll(client.getInputStream())).isLessThan(Handlers.BIG);
			}
		});
	}

	@Test
	void aGracefulShutdownWritesTheWholeReplyBeforeClosing() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (Socket client = connect(server.port())) {
				client.getOutputStream().write("big".getBytes());
				await().until(() -> context.getBean(Handlers.class).sent);
				CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
				assertThat(readAll(client.getInputStream())).isEqualTo(Handlers.BIG);
				await().atMost(Duration.ofSeconds(30)).until(closed::isDone);
			}
		});
	}

	@Test
	void aShutdownTimeoutLongerThanTheLifecyclePhaseIsWarnedOf(CapturedOutput output) {
		this.runner
			.withPropertyValues("swoole.server.shutdown-timeout=45s", "spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> assertThat(output).containsOnlyOnce("swoole.server.shutdown-timeout (45s) is longer than"
					+ " spring.lifecycle.timeout-per-shutdown-phase (20s)"));
	}

	@Test
	void aShutdownTimeoutWithinTheLifecyclePhaseIsNotWarnedOf(CapturedOutput output) {
		SwooleContextRunner.create()
			.withBean(Handlers.class)
			.run((context) -> assertThat(output).doesNotContain("timeout-per-shutdown-phase"));
	}

	/**
	 * A client with a small receive window, so that most of a big reply waits in the
	 * server's output buffer, beyond what the kernel holds.
	 */
	private static Socket connect(int port) throws IOException {
		Socket client = new Socket();
		client.setReceiveBufferSize(4096);
		client.setSoTimeout(30_000);
		client.connect(new InetSocketAddress("127.0.0.1", port));
		return client;
	}

	private static long readAll(InputStream input) throws IOException {
		long total = 0;
		byte[] buffer = new byte[65536];
		for (int read = input.read(buffer); read != -1; read = input.read(buffer)) {
			total += read;
		}
		return total;
	}

	static class Handlers {

		static final int BIG = 32 * 1024 * 1024;

		volatile boolean sent;

		@OnReceive
		void receive(Connection connection, String data) {
			connection.send(new byte[BIG]);
			this.sent = true;
		}

		@OnTask
		String blocked(CountDownLatch release) throws InterruptedException {
			release.await();
			return "released";
		}

		@OnTask
		String task(String data) {
			return data;
		}

	}

}
