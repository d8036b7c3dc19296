package io.swooletask.task;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.util.concurrent.FastThreadLocal;
import org.apache.commons.logging.Log;

import io.swooletask.server.Connection;

/**
 * Where a task came from, and so where its finish events go: the event loop that runs them, its index
 * (Swoole's {@code src_worker_id}) and the connection being served when the task was dispatched. It
 * counts its tasks in flight, so a connection can wait for its replies before it closes.
 */
public final class TaskOrigin {

	private static final FastThreadLocal<TaskOrigin> current = new FastThreadLocal<>();

	private final Executor executor;

	private final int workerId;

	private final Connection connection;

	private final AtomicInteger inFlight = new AtomicInteger();

	private volatile Runnable whenIdle;

	/**
	 * Creates an origin.
	 * @param executor the event loop that runs the task's finish events
	 * @param workerId the index of that loop, or -1 for a task dispatched from outside the loops
	 * @param connection the origin connection, or {@code null}
	 */
	public TaskOrigin(Executor executor, int workerId, Connection connection) {
		this.executor = executor;
		this.workerId = workerId;
		this.connection = connection;
	}

	/**
	 * The origin of the event being handled on this thread.
	 * @return the origin, or {@code null} outside an event handler
	 */
	public static TaskOrigin current() {
		return current.get();
	}

	/**
	 * Runs an event on this thread as an event of this origin, so that the tasks its handler dispatches
	 * report back here. What the handler throws ends with it: it is logged with the event's description.
	 * @param <A> the type of the event's first argument
	 * @param <B> the type of the event's second argument
	 * @param event the event
	 * @param first its first argument
	 * @param second its second argument
	 * @param logger where a failure is logged
	 */
	public <A, B> void handle(Event<A, B> event, A first, B second, Log logger) {
		TaskOrigin previous = current.get();
		current.set(this);
		try {
			event.run(first, second);
		}
		catch (Throwable ex) {
			logger.error(event.failure(first, second), ex);
		}
		finally {
			current.set(previous);
		}
	}

	public Executor executor() {
		return this.executor;
	}

	int workerId() {
		return this.workerId;
	}

	Connection connection() {
		return this.connection;
	}

	/**
	 * Runs {@code action} on the event loop once no task from this origin is in flight, after the finish
	 * events of those tasks: at once if none is, else when the last one completes.
	 * @param action what to run
	 */
	public void whenIdle(Runnable action) {
		this.whenIdle = action;
		if (this.inFlight.get() == 0) {
			runOnLoop(action);
		}
	}

	void dispatched() {
		this.inFlight.incrementAndGet();
	}

	void completed() {
		if (this.inFlight.decrementAndGet() == 0) {
			Runnable action = this.whenIdle;
			if (action != null) {
				runOnLoop(action);
			}
		}
	}

	private void runOnLoop(Runnable action) {
		try {
			this.executor.execute(action);
		}
		catch (RejectedExecutionException ex) {
			// the loop was shut down with its connections: nothing is left to do
		}
	}

	/**
	 * How many tasks from this origin are queued or running.
	 * @return the count
	 */
	public int inFlight() {
		return this.inFlight.get();
	}

	/**
	 * A kind of event that calls application code, given its two arguments so that the event objects
	 * can be made once, not per event.
	 *
	 * @param <A> the type of the first argument
	 * @param <B> the type of the second argument
	 */
	public interface Event<A, B> {

		/**
		 * Calls the application code.
		 * @param first the first argument
		 * @param second the second argument
		 * @throws Throwable what the application code threw
		 */
		void run(A first, B second) throws Throwable;

		/**
		 * What the log says when {@link #run} throws.
		 * @param first the first argument
		 * @param second the second argument
		 * @return the message
		 */
		String failure(A first, B second);

	}

}
