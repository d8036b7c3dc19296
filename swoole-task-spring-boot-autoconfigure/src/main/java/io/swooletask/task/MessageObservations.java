package io.swooletask.task;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.Task;

/**
 * Observes the steps of each message, so that they form one trace: its {@code @OnReceive}
 * call on the event loop, the {@code @OnTask} call of each task it dispatched, on a task
 * worker here or on another node, and each finish event back on the loop. {@link #NONE}
 * observes nothing and costs nothing; the Micrometer Observation implementation is
 * {@code io.swooletask.autoconfigure.MicrometerMessageObservations}. Each method returns
 * the {@link Step} it started, or {@link Step#NONE} when it started none.
 */
public interface MessageObservations {

	/** Observes nothing. */
	MessageObservations NONE = new MessageObservations() {
	};

	/**
	 * Starts observing an {@code @OnReceive} call on this event loop, in scope until the
	 * step closes.
	 * @param handler the name of the {@code @OnReceive} method
	 * @param connection the connection the message came from
	 * @return the step, or {@link Step#NONE}
	 */
	default Step receive(String handler, Connection connection) {
		return Step.NONE;
	}

	/**
	 * What a task dispatched now on this thread descends from: the observation in scope
	 * here.
	 * @return the parent, or {@code null}
	 */
	default @Nullable Object current() {
		return null;
	}

	/**
	 * Starts observing a task's {@code @OnTask} call on this thread, in scope until the
	 * step closes.
	 * @param task the task
	 * @param handler the name of the {@code @OnTask} method
	 * @param parent what the task descends from: {@link #current()} when it was
	 * dispatched, or on a worker node the delivery's step; {@code null} for none
	 * @param queueWaitNanos how long the task waited for a worker
	 * @return the step, or {@link Step#NONE}
	 */
	default Step task(Task task, String handler, @Nullable Object parent, long queueWaitNanos) {
		return Step.NONE;
	}

	/**
	 * Starts observing a finish event of a task on its origin's event loop, in scope
	 * until the step closes.
	 * @param task the task
	 * @param handler what receives the result: the name of the {@code @OnFinish} method,
	 * or {@code callback} or {@code future}
	 * @param parent what the step descends from: the observation in scope where the task
	 * was dispatched, or {@code null} for none
	 * @return the step, or {@link Step#NONE}
	 */
	default Step finish(Task task, String handler, @Nullable Object parent) {
		return Step.NONE;
	}

	/**
	 * Starts observing the sending of a task to another node, writing what continues its
	 * trace into the headers of the task's message.
	 * @param task the task
	 * @param parent what the step descends from: the observation in scope where the task
	 * was dispatched, or {@code null} for none
	 * @param headers the message headers, written to
	 * @return the step, or {@link Step#NONE}
	 */
	default Step send(Task task, @Nullable Object parent, Map<String, Object> headers) {
		return Step.NONE;
	}

	/**
	 * Starts observing the delivery of a task from another node to this one, continuing
	 * the trace the headers of its message carry, in scope until the step closes.
	 * @param headers the message headers
	 * @return the step, or {@link Step#NONE}
	 */
	default Step deliver(Map<String, @Nullable Object> headers) {
		return Step.NONE;
	}

	/**
	 * A step being observed.
	 */
	interface Step {

		/** A step not observed: closing it does nothing. */
		Step NONE = new Step() {

			@Override
			public void error(Throwable error) {
			}

			@Override
			public void close() {
			}

		};

		/**
		 * The step failed.
		 * @param error why
		 */
		void error(Throwable error);

		/**
		 * The step ended, on the thread it started on: it leaves the scope and stops.
		 */
		void close();

	}

}
