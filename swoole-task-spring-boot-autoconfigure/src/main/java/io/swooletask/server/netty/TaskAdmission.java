package io.swooletask.server.netty;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.FinishCallback;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.TaskOverflow;
import io.swooletask.server.TaskRejectedException;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskWorkerSettings;

/**
 * Admits a task: checks that an {@code @OnTask} method takes it, gives it an id, takes
 * its place in the {@link TaskCapacity} as the calling thread may, and submits it to the
 * {@link TaskBackend}; a task refused is counted, and the refusals are logged now and
 * then.
 */
final class TaskAdmission {

	private static final Log logger = LogFactory.getLog(TaskAdmission.class);

	private static final long REJECTION_LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

	private final SwooleHandlers handlers;

	private final TaskCapacity capacity;

	private final TaskBackend backend;

	private final TaskOverflow overflow;

	private final long enqueueTimeoutNanos;

	private final long firstId;

	private final AtomicLong ids;

	private final LongAdder rejected = new LongAdder();

	private final AtomicLong lastRejectionLog = new AtomicLong(System.nanoTime() - REJECTION_LOG_INTERVAL);

	/** Whether tasks are stamped with the time they are queued, for an observer. */
	private final boolean timed;

	private final MessageObservations observations;

	private volatile boolean closed;

	TaskAdmission(SwooleHandlers handlers, TaskWorkerSettings settings, TaskCapacity capacity, TaskBackend backend,
			long firstId, boolean timed, MessageObservations observations) {
		this.handlers = handlers;
		this.capacity = capacity;
		this.backend = backend;
		this.overflow = settings.overflow();
		this.enqueueTimeoutNanos = settings.enqueueTimeoutNanos();
		this.firstId = firstId;
		this.ids = new AtomicLong(firstId);
		this.timed = timed;
		this.observations = observations;
	}

	/**
	 * Admits a task and submits it.
	 * @param data the task data
	 * @param dstWorkerId the target worker, or -1 for any
	 * @param orderKey what orders the task among others with an equal key, or
	 * {@code null} for none
	 * @param origin where its finish events go
	 * @param completion {@code null} for {@code @OnFinish}, a {@link FinishCallback} or a
	 * {@link CompletableFuture}
	 * @return the task id
	 */
	long dispatch(Object data, int dstWorkerId, @Nullable Object orderKey, TaskOrigin origin,
			@Nullable Object completion) {
		Objects.requireNonNull(data, "Task data must not be null");
		HandlerMethod handler = route(data);
		this.backend.checkTarget(dstWorkerId);
		if (orderKey != null) {
			this.backend.checkOrdered();
		}
		if (this.closed) {
			throw stopped();
		}
		reserve(origin);
		long id = this.ids.incrementAndGet();
		origin.dispatched();
		try {
			this.backend.submit(new DispatchedTask(id, data, handler, dstWorkerId, orderKey, origin, completion,
					this.timed ? System.nanoTime() : 0, this.observations.current()));
		}
		catch (Throwable ex) {
			this.capacity.release();
			origin.completed();
			throw ex;
		}
		return id;
	}

	/**
	 * Finds the {@code @OnTask} method for the data, failing at the call, on the caller's
	 * thread, for data no such method takes. A node that declares no {@code @OnTask}
	 * method at all only dispatches to other nodes, and cannot tell.
	 * @return the method, or {@code null} on such a node
	 */
	private @Nullable HandlerMethod route(Object data) {
		PayloadRouter tasks = this.handlers.tasks();
		return tasks.isEmpty() ? null : tasks.route(data.getClass());
	}

	/**
	 * Takes a place in the queue, as the calling thread may: an event loop of this server
	 * takes one even past the capacity and pauses reading (its message was accepted and
	 * must not be lost), and so does a task worker (waiting could deadlock the pool on
	 * its own queue); another thread that must not block is refused at once when the
	 * queue is full; any other thread waits up to {@code task-enqueue-timeout}.
	 */
	private void reserve(TaskOrigin origin) {
		if (this.overflow == TaskOverflow.REJECT) {
			if (!this.capacity.tryReserve()) {
				throw reject("the task queue is full (swoole.server.task-queue-capacity=" + this.capacity.capacity()
						+ ", swoole.server.task-overflow=reject)");
			}
			return;
		}
		switch (ThreadKind.current(origin)) {
			case ORIGIN_LOOP, TASK_WORKER -> this.capacity.forceReserve();
			case NON_BLOCKING -> {
				if (!this.capacity.tryReserve()) {
					throw reject("the task queue is full and " + Thread.currentThread().getName()
							+ " must not block (swoole.server.task-queue-capacity=" + this.capacity.capacity() + ")");
				}
			}
			case MAY_BLOCK -> waitForRoom();
		}
	}

	private void waitForRoom() {
		try {
			if (!this.capacity.reserve(this.enqueueTimeoutNanos)) {
				if (this.closed) {
					throw stopped();
				}
				throw reject("the task queue stayed full for " + Duration.ofNanos(this.enqueueTimeoutNanos)
						+ " (swoole.server.task-queue-capacity=" + this.capacity.capacity()
						+ ", swoole.server.task-enqueue-timeout)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw reject("interrupted while waiting for room in the task queue");
		}
	}

	private ServerShutdownException stopped() {
		this.rejected.increment();
		return new ServerShutdownException("Task rejected: the server is stopping");
	}

	private TaskRejectedException reject(String reason) {
		this.rejected.increment();
		long now = System.nanoTime();
		long last = this.lastRejectionLog.get();
		if (now - last >= REJECTION_LOG_INTERVAL && this.lastRejectionLog.compareAndSet(last, now)) {
			logger.warn("Rejecting tasks: " + reason + "; " + this.rejected.sum() + " rejected so far");
		}
		return new TaskRejectedException("Task rejected: " + reason);
	}

	/**
	 * Admits no more tasks, and wakes the threads waiting for room.
	 */
	void close() {
		this.closed = true;
		this.capacity.close();
	}

	boolean isClosed() {
		return this.closed;
	}

	long dispatched() {
		return this.ids.get() - this.firstId;
	}

	long rejected() {
		return this.rejected.sum();
	}

}
