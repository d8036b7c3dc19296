package io.swooletask.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import io.swooletask.observation.DefaultSwooleFinishObservationConvention;
import io.swooletask.observation.DefaultSwooleReceiveObservationConvention;
import io.swooletask.observation.DefaultSwooleTaskDeliveryObservationConvention;
import io.swooletask.observation.DefaultSwooleTaskObservationConvention;
import io.swooletask.observation.DefaultSwooleTaskSendObservationConvention;
import io.swooletask.observation.SwooleFinishContext;
import io.swooletask.observation.SwooleFinishObservationConvention;
import io.swooletask.observation.SwooleObservationDocumentation;
import io.swooletask.observation.SwooleReceiveContext;
import io.swooletask.observation.SwooleReceiveObservationConvention;
import io.swooletask.observation.SwooleTaskContext;
import io.swooletask.observation.SwooleTaskDeliveryContext;
import io.swooletask.observation.SwooleTaskDeliveryObservationConvention;
import io.swooletask.observation.SwooleTaskObservationConvention;
import io.swooletask.observation.SwooleTaskSendContext;
import io.swooletask.observation.SwooleTaskSendObservationConvention;
import io.swooletask.server.Connection;
import io.swooletask.server.Task;
import io.swooletask.task.MessageObservations;

/**
 * Observes the steps of each message with Micrometer Observation, as one trace:
 * {@code swoole.receive} on the event loop; {@code swoole.task} on the task worker, a
 * child of the receive that dispatched it (through {@code swoole.task.send} and
 * {@code swoole.task.delivery} when it crosses the broker); and {@code swoole.finish}
 * back on the loop, a child of the receive too. While the registry is a no-op nothing is
 * created.
 */
final class MicrometerMessageObservations implements MessageObservations {

	private static final DefaultSwooleReceiveObservationConvention DEFAULT_RECEIVE = new DefaultSwooleReceiveObservationConvention();

	private static final DefaultSwooleTaskObservationConvention DEFAULT_TASK = new DefaultSwooleTaskObservationConvention();

	private static final DefaultSwooleFinishObservationConvention DEFAULT_FINISH = new DefaultSwooleFinishObservationConvention();

	private static final DefaultSwooleTaskSendObservationConvention DEFAULT_SEND = new DefaultSwooleTaskSendObservationConvention();

	private static final DefaultSwooleTaskDeliveryObservationConvention DEFAULT_DELIVERY = new DefaultSwooleTaskDeliveryObservationConvention();

	private final ObservationRegistry registry;

	private final String transport;

	private @Nullable SwooleReceiveObservationConvention receiveConvention;

	private @Nullable SwooleTaskObservationConvention taskConvention;

	private @Nullable SwooleFinishObservationConvention finishConvention;

	private @Nullable SwooleTaskSendObservationConvention sendConvention;

	private @Nullable SwooleTaskDeliveryObservationConvention deliveryConvention;

	/**
	 * Creates the observations.
	 * @param registry where the observations are made
	 * @param transport the transport of the server's tasks, {@code local} or {@code amqp}
	 */
	MicrometerMessageObservations(ObservationRegistry registry, String transport) {
		this.registry = registry;
		this.transport = transport;
	}

	void setReceiveConvention(SwooleReceiveObservationConvention receiveConvention) {
		this.receiveConvention = receiveConvention;
	}

	void setTaskConvention(SwooleTaskObservationConvention taskConvention) {
		this.taskConvention = taskConvention;
	}

	void setFinishConvention(SwooleFinishObservationConvention finishConvention) {
		this.finishConvention = finishConvention;
	}

	void setSendConvention(SwooleTaskSendObservationConvention sendConvention) {
		this.sendConvention = sendConvention;
	}

	void setDeliveryConvention(SwooleTaskDeliveryObservationConvention deliveryConvention) {
		this.deliveryConvention = deliveryConvention;
	}

	@Override
	public Step receive(String handler, Connection connection) {
		if (this.registry.isNoop()) {
			return Step.NONE;
		}
		return open(SwooleObservationDocumentation.RECEIVE, this.receiveConvention, DEFAULT_RECEIVE,
				() -> new SwooleReceiveContext(handler, this.transport, connection), null, true);
	}

	@Override
	public @Nullable Object current() {
		return this.registry.isNoop() ? null : this.registry.getCurrentObservation();
	}

	@Override
	public Step task(Task task, String handler, @Nullable Object parent, long queueWaitNanos) {
		if (this.registry.isNoop()) {
			return Step.NONE;
		}
		return open(SwooleObservationDocumentation.TASK, this.taskConvention, DEFAULT_TASK,
				() -> new SwooleTaskContext(task, handler, this.transport, Duration.ofNanos(queueWaitNanos)), parent,
				true);
	}

	@Override
	public Step finish(Task task, String handler, @Nullable Object parent) {
		if (this.registry.isNoop()) {
			return Step.NONE;
		}
		return open(SwooleObservationDocumentation.FINISH, this.finishConvention, DEFAULT_FINISH,
				() -> new SwooleFinishContext(task, handler, this.transport), parent, true);
	}

	@Override
	public Step send(Task task, @Nullable Object parent, Map<String, Object> headers) {
		if (this.registry.isNoop()) {
			return Step.NONE;
		}
		return open(SwooleObservationDocumentation.TASK_SEND, this.sendConvention, DEFAULT_SEND,
				() -> new SwooleTaskSendContext(task, headers), parent, false);
	}

	@Override
	public Step deliver(Map<String, @Nullable Object> headers) {
		if (this.registry.isNoop()) {
			return Step.NONE;
		}
		return open(SwooleObservationDocumentation.TASK_DELIVERY, this.deliveryConvention, DEFAULT_DELIVERY,
				() -> new SwooleTaskDeliveryContext(headers), null, true);
	}

	private <T extends Observation.Context> Step open(SwooleObservationDocumentation documentation,
			@Nullable ObservationConvention<T> custom, ObservationConvention<T> defaults, Supplier<T> context,
			@Nullable Object parent, boolean scoped) {
		Observation observation = documentation.observation(custom, defaults, context, this.registry);
		if (parent instanceof Observation parentObservation) {
			observation.parentObservation(parentObservation);
		}
		return new ObservedStep(observation.start(), scoped);
	}

	/**
	 * An observation started, and in scope on this thread when the step runs application
	 * code here.
	 */
	private static final class ObservedStep implements Step {

		private final Observation observation;

		private final Observation.@Nullable Scope scope;

		ObservedStep(Observation observation, boolean scoped) {
			this.observation = observation;
			this.scope = scoped ? observation.openScope() : null;
		}

		@Override
		public void error(Throwable error) {
			this.observation.error(error);
		}

		@Override
		public void close() {
			if (this.scope != null) {
				this.scope.close();
			}
			this.observation.stop();
		}

	}

}
