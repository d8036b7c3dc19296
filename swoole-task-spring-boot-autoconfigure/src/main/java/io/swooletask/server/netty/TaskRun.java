package io.swooletask.server.netty;

import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.Task;

/**
 * A dispatched task as a worker runs it: the {@link Task} its {@code @OnTask} method and
 * its finish events see, with the worker that ran it. {@link #finish} hands a result on
 * to the {@link FinishDelivery}.
 */
final class TaskRun implements Task {

	final DispatchedTask task;

	private final int workerId;

	private final FinishDelivery delivery;

	TaskRun(DispatchedTask task, int workerId, FinishDelivery delivery) {
		this.task = task;
		this.workerId = workerId;
		this.delivery = delivery;
	}

	@Override
	public long id() {
		return this.task.id();
	}

	@Override
	public int srcWorkerId() {
		return this.task.srcWorkerId();
	}

	@Override
	public int workerId() {
		return this.workerId;
	}

	@Override
	public Object data() {
		return this.task.data();
	}

	@Override
	public Instant dispatchTime() {
		return this.task.dispatchTime();
	}

	@Override
	public @Nullable Connection connection() {
		return this.task.connection();
	}

	@Override
	public void finish(Object result) {
		Objects.requireNonNull(result, "A finish result must not be null");
		this.delivery.result(this, result);
	}

	@Override
	public String toString() {
		return this.task.toString();
	}

}
