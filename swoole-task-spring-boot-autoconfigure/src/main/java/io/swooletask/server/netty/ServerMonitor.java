package io.swooletask.server.netty;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.ServerStats;

/**
 * What a running server shows of itself, for {@code stats()}, the metrics and the health
 * endpoint: the counts of its connections, its read gate and its tasks.
 */
final class ServerMonitor {

	private final ConnectionRegistry registry;

	private final ReadGate gate;

	private final TaskRuntime tasks;

	ServerMonitor(ConnectionRegistry registry, ReadGate gate, TaskRuntime tasks) {
		this.registry = registry;
		this.gate = gate;
		this.tasks = tasks;
	}

	ServerStats stats(@Nullable Instant startTime) {
		TaskCounters counters = this.tasks.counters();
		return new ServerStats(startTime, this.registry.size(), this.registry.acceptCount(), this.registry.closeCount(),
				this.registry.requestCount(), counters.workerNum(),
				Math.max(0, counters.workerNum() - counters.running()), counters.queued(), counters.dispatched(),
				counters.running(), counters.completed(), counters.failed(), counters.rejected(),
				this.registry.rejectCount(), this.registry.oversizeFrameCount(), this.registry.invalidFrameCount(),
				counters.queuePeak());
	}

	/**
	 * How many finish events of tasks that outlived the shutdown were dropped.
	 * @return the count since the start
	 */
	long droppedFinishes() {
		return this.tasks.counters().droppedFinishes();
	}

	/**
	 * How many connections the server does not read from now, because the task queue is
	 * near full or the server is stopping.
	 * @return the count
	 */
	int pausedConnections() {
		return this.gate.pausedConnections();
	}

	/**
	 * Since when the server does not read because the task queue is near full.
	 * @return when that began, or {@code null} while it reads
	 */
	@Nullable Instant readingPausedSince() {
		return this.gate.pausedSince();
	}

	/**
	 * How many sends were refused because they would take a connection's pending output
	 * past {@code buffer-output-size}.
	 * @return the count since the start
	 */
	long refusedWrites() {
		return this.registry.refusedWriteCount();
	}

	/**
	 * What the health endpoint shows of where the tasks run, beyond the task counters.
	 * @return the details by name
	 */
	Map<String, Object> taskBackendDetails() {
		return this.tasks.backendDetails();
	}

}
