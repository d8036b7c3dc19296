package io.swooletask.server.netty;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Task;
import io.swooletask.task.BackendTask;
import io.swooletask.task.NodeConnections;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskWorkerSettings;

/**
 * The stages a {@link TaskBackend} is given: the invoker that runs tasks, the delivery
 * that carries their outcomes back, and the capacity their places are taken from. Ending
 * a task here gives its place back and ends it in one call, so that neither happens
 * without the other.
 */
final class BackendContext implements TaskBackend.Context {

	final TaskWorkerSettings settings;

	private final SwooleHandlers handlers;

	final TaskCapacity capacity;

	final TaskInvoker invoker;

	final FinishDelivery delivery;

	final IdleSignal idleSignal = new IdleSignal();

	private final NodeConnections connections;

	BackendContext(TaskWorkerSettings settings, SwooleHandlers handlers, TaskCapacity capacity, TaskInvoker invoker,
			FinishDelivery delivery, NodeConnections connections) {
		this.connections = connections;
		this.settings = settings;
		this.handlers = handlers;
		this.capacity = capacity;
		this.invoker = invoker;
		this.delivery = delivery;
	}

	@Override
	public NodeConnections connections() {
		return this.connections;
	}

	@Override
	public TaskWorkerSettings settings() {
		return this.settings;
	}

	@Override
	public List<Class<?>> taskDataTypes() {
		return this.handlers.tasks().handlers().stream().<Class<?>>map(HandlerMethod::payloadType).toList();
	}

	@Override
	public List<Class<?>> resultTypes() {
		return Stream
			.concat(this.handlers.finishes().handlers().stream().map(HandlerMethod::payloadType),
					this.handlers.tasks().handlers().stream().map(HandlerMethod::returnType))
			.toList();
	}

	@Override
	public void checkTaskData(Class<?> type) {
		this.handlers.tasks().route(type);
	}

	@Override
	public @Nullable Object run(Task task, long queueWaitNanos) throws Throwable {
		return this.invoker.invoke(task, queueWaitNanos);
	}

	@Override
	public void workerStarted(int workerId) {
		this.invoker.workerStarted(workerId);
	}

	@Override
	public void workerStopped(int workerId) {
		this.invoker.workerStopped(workerId);
	}

	@Override
	public void result(BackendTask task, int workerId, Object result) {
		this.delivery.result(new TaskRun(DispatchedTask.of(task), workerId, this.delivery), result);
	}

	@Override
	public void failed(BackendTask task, int workerId, Throwable ex) {
		this.delivery.failed(new TaskRun(DispatchedTask.of(task), workerId, this.delivery), ex);
	}

	@Override
	public void ended(BackendTask task) {
		DispatchedTask dispatched = DispatchedTask.of(task);
		this.capacity.release();
		this.delivery.ended(dispatched);
		this.idleSignal.changed();
	}

	@Override
	public boolean isClosed() {
		return this.capacity.isClosed();
	}

	@Override
	public boolean awaitIdle(BooleanSupplier idle, long timeout, TimeUnit unit) throws InterruptedException {
		return this.idleSignal.await(idle, timeout, unit);
	}

}
