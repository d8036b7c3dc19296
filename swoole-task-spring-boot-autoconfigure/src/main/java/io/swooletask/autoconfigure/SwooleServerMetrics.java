package io.swooletask.autoconfigure;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import io.swooletask.server.ServerStats;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.task.TaskObserver;

import org.springframework.beans.factory.ObjectProvider;

/**
 * The server's meters, under {@code swoole.*}: counters and gauges read from
 * {@link SwooleServer#stats()} at each scrape, and the task queue-wait and execution
 * timers, recorded as tasks run.
 */
class SwooleServerMetrics implements MeterBinder, TaskObserver {

	private final ObjectProvider<SwooleServer> server;

	private volatile @Nullable Timer queueWait;

	private volatile @Nullable Timer execution;

	public SwooleServerMetrics(ObjectProvider<SwooleServer> server) {
		this.server = server;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		SwooleServer server = this.server.getObject();
		gauge(registry, server, "swoole.connections", "Connections open now", ServerStats::connectionNum);
		counter(registry, server, "swoole.connections.accepted", "Connections accepted", ServerStats::acceptCount);
		counter(registry, server, "swoole.connections.closed", "Connections closed", ServerStats::closeCount);
		counter(registry, server, "swoole.connections.rejected", "Connections refused past max-conn",
				ServerStats::rejectCount);
		counter(registry, server, "swoole.messages.received", "Messages received", ServerStats::requestCount);
		counter(registry, server, "swoole.frames.oversize", "Connections closed for a frame over package-max-length",
				ServerStats::oversizeFrameCount);
		counter(registry, server, "swoole.frames.invalid", "Connections closed for an invalid length header",
				ServerStats::invalidFrameCount);
		counter(registry, server, "swoole.tasks.dispatched", "Tasks dispatched", ServerStats::taskCount);
		counter(registry, server, "swoole.tasks.rejected", "Tasks refused by task()", ServerStats::taskRejected);
		gauge(registry, server, "swoole.tasks.queued", "Tasks queued, not yet started", ServerStats::taskingNum);
		gauge(registry, server, "swoole.tasks.running", "Tasks running now", ServerStats::taskRunning);
		FunctionCounter.builder("swoole.tasks.completed", server, (s) -> s.stats().taskCompleted())
			.description("Tasks whose handler ran")
			.tag("outcome", "success")
			.register(registry);
		FunctionCounter.builder("swoole.tasks.completed", server, (s) -> s.stats().taskFailed())
			.description("Tasks whose handler ran")
			.tag("outcome", "error")
			.register(registry);
		gauge(registry, server, "swoole.tasks.queue.peak", "The most tasks ever queued at once",
				ServerStats::taskQueuePeak);
		if (server instanceof NettySwooleServer netty) {
			Meters.gauge(registry, "swoole.connections.paused",
					"Connections not read from now, because the task queue is near full or the server stops", netty,
					NettySwooleServer::pausedConnections);
			Meters.counter(registry, "swoole.connections.writes.refused",
					"Sends refused because they would take a connection's pending output past buffer-output-size",
					netty, NettySwooleServer::refusedWrites);
			Meters.counter(registry, "swoole.tasks.finishes.dropped",
					"Finish events of tasks that outlived the shutdown, dropped", netty,
					NettySwooleServer::droppedFinishes);
		}
		this.queueWait = Timer.builder("swoole.tasks.queue.wait")
			.description("Time a task waited in the queue")
			.register(registry);
		this.execution = Timer.builder("swoole.tasks.execution")
			.description("Time a task's handler ran")
			.register(registry);
	}

	@Override
	public void started(Task task, long queueWaitNanos) {
		Timer timer = this.queueWait;
		if (timer != null) {
			timer.record(queueWaitNanos, TimeUnit.NANOSECONDS);
		}
	}

	@Override
	public void ended(Task task, long executionNanos, boolean failed) {
		Timer timer = this.execution;
		if (timer != null) {
			timer.record(executionNanos, TimeUnit.NANOSECONDS);
		}
	}

	private static void gauge(MeterRegistry registry, SwooleServer server, String name, String description,
			ToDoubleFunction<ServerStats> value) {
		Meters.gauge(registry, name, description, server, (s) -> value.applyAsDouble(s.stats()));
	}

	private static void counter(MeterRegistry registry, SwooleServer server, String name, String description,
			ToDoubleFunction<ServerStats> value) {
		Meters.counter(registry, name, description, server, (s) -> value.applyAsDouble(s.stats()));
	}

}
