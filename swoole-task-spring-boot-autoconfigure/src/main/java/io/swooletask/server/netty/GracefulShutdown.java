package io.swooletask.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.DisposableServer;

import io.swooletask.server.Shutdown;

/**
 * Shuts the server down in phases under one deadline, {@code shutdown-timeout} after the
 * start, each phase taking what is left of it. The listener's part stops accepting and
 * reading, drains the tasks and the finish events they hand to the loops, and flushes and
 * closes the connections; the task pool's part, which may come later (after a web
 * server's graceful drain), drains the tasks dispatched meanwhile, then releases the task
 * workers and the event loops. With {@code shutdown: immediate} the deadline is the
 * start: queued tasks are reported unfinished, running ones are not waited for, and
 * connections close without what is left to write.
 */
final class GracefulShutdown {

	// the server's category: its listening, draining and stopped lines are switched on
	// and off together
	private static final Log logger = LogFactory.getLog(NettySwooleServer.class);

	private final NettySwooleServerFactory options;

	private final TaskRuntime tasks;

	private final ConnectionRegistry registry;

	private final ReadGate gate;

	private final EventLoops loops;

	private long begin;

	private long deadline;

	private boolean tasksStopped;

	GracefulShutdown(NettySwooleServerFactory options, TaskRuntime tasks, ConnectionRegistry registry, ReadGate gate,
			EventLoops loops) {
		this.options = options;
		this.tasks = tasks;
		this.registry = registry;
		this.gate = gate;
		this.loops = loops;
	}

	/**
	 * Stops the listener within {@code shutdown-timeout}, which starts now. Tasks still
	 * unfinished at the deadline are stopped before the connections close, so that their
	 * outcomes go out first.
	 * @param server the listener
	 */
	synchronized void stopListening(DisposableServer server) {
		long deadline = begin();
		server.channel().close().syncUninterruptibly();
		this.gate.close();
		if (isImmediate()) {
			stopTaskRuntime(deadline);
			closeConnectionsNow();
		}
		else {
			if (!drainTasks(deadline)) {
				stopTaskRuntime(deadline);
			}
			closeConnections(deadline);
		}
		server.dispose();
	}

	/**
	 * Stops the task pool within what is left of {@code shutdown-timeout}, or all of it
	 * if the listener did not start it. Tasks unfinished at the deadline are logged and
	 * their futures fail.
	 */
	synchronized void stopTasks() {
		long deadline = begin();
		this.gate.close();
		drainTasks(deadline);
		stopTaskRuntime(deadline);
		releaseLoops(deadline);
		TaskCounters after = this.tasks.counters();
		logger.info("Swoole server stopped in " + Duration.ofNanos(System.nanoTime() - this.begin).toMillis() + " ms: "
				+ Counted.of(after.completed(), "task") + " completed, " + after.failed() + " failed, "
				+ Counted.of(this.registry.closeCount(), "connection") + " closed in all");
	}

	private long begin() {
		if (this.deadline == 0 && isImmediate()) {
			this.begin = System.nanoTime();
			this.deadline = this.begin;
			TaskCounters before = this.tasks.counters();
			logger.info("Swoole server stopping at once (swoole.server.shutdown=immediate): "
					+ Counted.of(before.queued(), "task") + " queued will not run, " + before.running()
					+ " running not waited for, " + Counted.of(this.registry.size(), "connection")
					+ " closed without what is left to write");
		}
		else if (this.deadline == 0) {
			this.begin = System.nanoTime();
			this.deadline = this.begin + this.options.getShutdownTimeout().toNanos();
			TaskCounters before = this.tasks.counters();
			logger.info("Swoole server draining: no new connections, no more reading; "
					+ Counted.of(before.queued(), "task") + " queued, " + before.running() + " running, "
					+ Counted.of(this.registry.size(), "connection") + " open (swoole.server.shutdown-timeout="
					+ this.options.getShutdownTimeout() + ")");
		}
		return this.deadline;
	}

	private boolean isImmediate() {
		return this.options.getShutdown() == Shutdown.IMMEDIATE;
	}

	private void stopTaskRuntime(long deadline) {
		if (!this.tasksStopped) {
			this.tasksStopped = true;
			this.tasks.stop(deadline,
					isImmediate() ? "swoole.server.shutdown=immediate" : "swoole.server.shutdown-timeout");
		}
	}

	/**
	 * Waits until no task is queued or running and every loop has run the finish events
	 * handed to it, again as long as those finish events dispatch more tasks.
	 * @return whether that was reached before the deadline
	 */
	private boolean drainTasks(long deadline) {
		try {
			do {
				awaitLoops(deadline);
				if (!this.tasks.awaitIdle(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
					return false;
				}
				awaitLoops(deadline);
			}
			while (!this.tasks.isIdle());
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void awaitLoops(long deadline) throws InterruptedException {
		List<CompletableFuture<Void>> passed = new ArrayList<>();
		for (EventExecutor loop : this.loops.all()) {
			passed.add(CompletableFuture.runAsync(() -> {
			}, loop));
		}
		// past the deadline, what is left is reported by the task runtime
		awaitAll(passed, deadline);
	}

	private void closeConnections(long deadline) {
		List<CompletableFuture<Void>> closed = new ArrayList<>();
		for (NettyConnection connection : this.registry.all()) {
			CompletableFuture<Void> done = new CompletableFuture<>();
			Channel channel = connection.channel();
			// queued behind the finish events already handed to the loop, so their
			// replies go out first
			channel.eventLoop().execute(() -> {
				logger.debug("Closing " + connection + ": the server is shutting down");
				channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
					.addListener(ChannelFutureListener.CLOSE)
					.addListener((future) -> done.complete(null));
			});
			channel.closeFuture().addListener((future) -> done.complete(null));
			closed.add(done);
		}
		try {
			if (!awaitAll(closed, deadline)) {
				logger.warn("Connections still open at the shutdown timeout are closed now");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Closes every connection at once: what is not written yet is dropped.
	 */
	private void closeConnectionsNow() {
		for (NettyConnection connection : this.registry.all()) {
			connection.channel().close();
		}
	}

	/**
	 * Shuts the event loops down in what is left of the shutdown timeout, or without
	 * waiting for them when the shutdown is immediate. The finish events of tasks that
	 * are still running are then dropped and counted by the finish delivery.
	 */
	private void releaseLoops(long deadline) {
		if (isImmediate()) {
			// not waited for; they end once the tasks running now hand them nothing more
			this.loops.resources()
				.disposeLater(Duration.ZERO, this.options.getShutdownTimeout())
				.subscribe(null, (ex) -> logger.warn("The event loops did not terminate within"
						+ " swoole.server.shutdown-timeout after an immediate shutdown"));
			return;
		}
		Duration left = Duration.ofNanos(nanosLeft(deadline));
		try {
			this.loops.resources().disposeLater(Duration.ZERO, left).block(left.plusMillis(100));
		}
		catch (IllegalStateException ex) {
			logger.warn("The event loops did not terminate within swoole.server.shutdown-timeout");
		}
	}

	/**
	 * Waits for futures until the deadline.
	 * @return whether all of them completed normally in time
	 */
	private static boolean awaitAll(List<CompletableFuture<Void>> futures, long deadline) throws InterruptedException {
		try {
			CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
				.get(nanosLeft(deadline), TimeUnit.NANOSECONDS);
			return true;
		}
		catch (ExecutionException | TimeoutException ex) {
			return false;
		}
	}

	private static long nanosLeft(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

}
