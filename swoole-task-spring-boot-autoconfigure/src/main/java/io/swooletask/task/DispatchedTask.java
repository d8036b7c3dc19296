package io.swooletask.task;

import java.time.Instant;
import java.util.Objects;

import io.swooletask.handler.HandlerMethod;
import io.swooletask.server.Task;

/**
 * A task as its origin sees it on its way: its data, its origin, and what receives its finish results
 * (the {@code @OnFinish} methods, a callback or a future).
 */
public final class DispatchedTask implements Task {

	static final int ANY_WORKER = -1;

	private final FinishDelivery delivery;

	private final long id;

	private final Object data;

	private final int dstWorkerId;

	private final TaskOrigin origin;

	private final Object completion;

	/** The {@code @OnTask} method, when this node has one for the data, found when the task was admitted. */
	final HandlerMethod handler;

	private final long dispatchMillis = System.currentTimeMillis();

	/** When the task was queued, in {@link System#nanoTime()}'s terms; 0 when no observer times tasks. */
	final long enqueueNanos;

	private final Object parentObservation;

	volatile int workerId = -1;

	volatile boolean finished;

	volatile boolean failed;

	DispatchedTask(FinishDelivery delivery, long id, Object data, HandlerMethod handler, int dstWorkerId,
			TaskOrigin origin, Object completion, long enqueueNanos, Object parentObservation) {
		this.delivery = delivery;
		this.id = id;
		this.data = data;
		this.handler = handler;
		this.dstWorkerId = dstWorkerId;
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

	@Override
	public int workerId() {
		return this.workerId;
	}

	@Override
	public Object data() {
		return this.data;
	}

	@Override
	public Instant dispatchTime() {
		return Instant.ofEpochMilli(this.dispatchMillis);
	}

	@Override
	public void finish(Object result) {
		Objects.requireNonNull(result, "A finish result must not be null");
		this.finished = true;
		this.delivery.finish(this, result);
	}

	/**
	 * The worker the task was targeted at.
	 * @return the worker id, or -1 for any
	 */
	int dstWorkerId() {
		return this.dstWorkerId;
	}

	/**
	 * Where the task came from.
	 * @return the origin
	 */
	TaskOrigin origin() {
		return this.origin;
	}

	/**
	 * What the observations of the task descend from: the observation in scope where it was dispatched.
	 * @return the parent, or {@code null} when the steps are not observed
	 */
	public Object parentObservation() {
		return this.parentObservation;
	}

	Object completion() {
		return this.completion;
	}

	@Override
	public String toString() {
		return "Task[id=" + this.id + ", data=" + this.data.getClass().getName() + "]";
	}

}
