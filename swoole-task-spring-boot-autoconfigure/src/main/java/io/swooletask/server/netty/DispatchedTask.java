package io.swooletask.server.netty;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.task.BackendTask;

/**
 * A task as its origin dispatched it: its id, its data, where its finish events go and
 * what receives them (the {@code @OnFinish} methods, a callback or a future). It is data:
 * what happens to it is up to the stages it passes, and the one thing that changes is
 * whether an outcome has been handed on. A worker runs it as a {@link TaskRun}, or, on
 * another node, as the task its message carries.
 */
final class DispatchedTask implements BackendTask {

	static final int ANY_WORKER = -1;

	/**
	 * The task a backend hands back, checked before anything acts on it: it must be the
	 * object the backend was handed.
	 * @throws IllegalArgumentException if the backend hands back a task of its own
	 */
	static DispatchedTask of(@Nullable BackendTask task) {
		if (task instanceof DispatchedTask dispatched) {
			return dispatched;
		}
		throw new IllegalArgumentException("A task backend handed back " + task + " ("
				+ ((task != null) ? task.getClass().getName() : "no task")
				+ "), which this server never dispatched: pass back the BackendTask object that submit was given.");
	}

	private final long id;

	private final Object data;

	private final int dstWorkerId;

	private final @Nullable Object orderKey;

	private final TaskOrigin origin;

	private final @Nullable Object completion;

	/**
	 * The {@code @OnTask} method, when this node has one for the data, found when the
	 * task was admitted.
	 */
	final @Nullable HandlerMethod handler;

	private final long dispatchMillis = System.currentTimeMillis();

	/**
	 * When the task was queued, in {@link System#nanoTime()}'s terms; 0 when no observer
	 * times tasks.
	 */
	final long enqueueNanos;

	private final @Nullable Object parentObservation;

	/**
	 * Whether a result or a failure of the task has been handed to its origin: its end
	 * then has nothing to tell its future, even if the loop refuses the end once it took
	 * that event. The one thing about a dispatched task that changes, written before the
	 * event is handed on.
	 */
	volatile boolean outcomeHanded;

	/**
	 * Its id as the log fields name it, made by the first thread that logs it: a benign
	 * race, since a thread that finds none makes an equal string.
	 */
	@Nullable String logId;

	DispatchedTask(long id, Object data, @Nullable HandlerMethod handler, int dstWorkerId, @Nullable Object orderKey,
			TaskOrigin origin, @Nullable Object completion, long enqueueNanos, @Nullable Object parentObservation) {
		this.id = id;
		this.data = data;
		this.handler = handler;
		this.dstWorkerId = dstWorkerId;
		this.orderKey = orderKey;
		this.origin = origin;
		this.completion = completion;
		this.enqueueNanos = enqueueNanos;
		this.parentObservation = parentObservation;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public int srcWorkerId() {
		return this.origin.workerId();
	}

	/**
	 * No worker is known to the task as dispatched: the task a worker runs, and the one
	 * its finish events carry, tell which.
	 * @return -1
	 */
	@Override
	public int workerId() {
		return -1;
	}

	@Override
	public Object data() {
		return this.data;
	}

	@Override
	public Instant dispatchTime() {
		return Instant.ofEpochMilli(this.dispatchMillis);
	}

	/**
	 * Refused: a result is finished by the task a worker runs.
	 * @throws IllegalStateException always
	 */
	@Override
	public void finish(Object result) {
		throw new IllegalStateException(
				"finish is called on the task a worker runs, not on " + this + " as dispatched");
	}

	@Override
	public int dstWorkerId() {
		return this.dstWorkerId;
	}

	@Override
	public @Nullable Connection connection() {
		return this.origin.connection();
	}

	@Override
	public @Nullable Object orderKey() {
		return this.orderKey;
	}

	@Override
	public @Nullable Object parentObservation() {
		return this.parentObservation;
	}

	TaskOrigin origin() {
		return this.origin;
	}

	@Nullable Object completion() {
		return this.completion;
	}

	@Override
	public String toString() {
		return "Task[id=" + this.id + ", data=" + this.data.getClass().getName() + "]";
	}

}
