package io.swooletask.server;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The server's counters, as Swoole's {@code stats()}, in camelCase and with Swoole's
 * meaning, plus the task outcomes Swoole does not count.
 *
 * @param startTime when the server started, or {@code null} before it started
 * @param connectionNum connections open now
 * @param acceptCount connections accepted
 * @param closeCount connections closed
 * @param requestCount messages received
 * @param taskWorkerNum task workers
 * @param taskIdleWorkerNum task workers not running a task now
 * @param taskingNum tasks queued and not yet started (Swoole's {@code tasking_num})
 * @param taskCount tasks dispatched
 * @param taskRunning tasks running now
 * @param taskCompleted tasks whose handler returned
 * @param taskFailed tasks whose handler threw
 * @param taskRejected tasks refused because the task queue was full or the server stopped
 * @param rejectCount connections refused because {@code max-conn} were open
 * @param oversizeFrameCount connections closed for a message over
 * {@code package-max-length}
 * @param invalidFrameCount connections closed for an invalid length header
 * @param taskQueuePeak the most tasks ever queued at once (see
 * {@code task-queue-capacity})
 */
public record ServerStats(@Nullable Instant startTime, int connectionNum, long acceptCount, long closeCount,
		long requestCount, int taskWorkerNum, int taskIdleWorkerNum, int taskingNum, long taskCount, int taskRunning,
		long taskCompleted, long taskFailed, long taskRejected, long rejectCount, long oversizeFrameCount,
		long invalidFrameCount, int taskQueuePeak) {

}
