package io.swooletask.benchmarks.jmh;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoop;
import io.swooletask.server.ServerStats;
import io.swooletask.server.SwooleServer;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real starter server for a benchmark trial: the Spring application on a free port with
 * two event loops and four task workers, and one idle client connection whose event loop
 * the benchmark runs on.
 */
final class ServerFixture implements AutoCloseable {

	private static final long IDLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final ConfigurableApplicationContext context;

	private final Socket client;

	private final SwooleServer server;

	private final EventLoop loop;

	private ServerFixture(ConfigurableApplicationContext context, Socket client, SwooleServer server, EventLoop loop) {
		this.context = context;
		this.client = client;
		this.server = server;
		this.loop = loop;
	}

	static ServerFixture start() throws IOException, InterruptedException, ExecutionException, TimeoutException {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(JmhServerConfiguration.class)
			.web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.properties("swoole.server.port=0", "swoole.server.worker-num=2", "swoole.server.task-worker-num=4",
					"swoole.server.shutdown-timeout=5s", "logging.level.root=warn")
			.run();
		SwooleServer server = context.getBean(SwooleServer.class);
		Socket client = new Socket();
		client.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
		return new ServerFixture(context, client, server, context.getBean(LoopCapture.class).await());
	}

	SwooleServer server() {
		return this.server;
	}

	/**
	 * The server event loop of the fixture's connection.
	 * @return the loop
	 */
	EventLoop loop() {
		return this.loop;
	}

	/**
	 * Waits until no task is queued or running, so the next measurement starts on an
	 * empty queue.
	 * @throws IllegalStateException if the tasks do not drain within ten seconds
	 */
	void awaitTasksDone() {
		long deadline = System.nanoTime() + IDLE_TIMEOUT_NANOS;
		for (ServerStats stats = this.server.stats(); stats.taskingNum() > 0
				|| stats.taskRunning() > 0; stats = this.server.stats()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Tasks did not drain in 10 s: " + stats);
			}
			Thread.onSpinWait();
		}
	}

	@Override
	public void close() throws IOException {
		this.client.close();
		this.context.close();
	}

}
