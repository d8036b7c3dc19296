package io.swooletask.server.netty;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.netty.util.concurrent.FastThreadLocal;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;

/**
 * Where a task came from, and so where its finish events go: the event loop that runs
 * them, its index (Swoole's {@code src_worker_id}) and the connection being served when
 * the task was dispatched. It counts its tasks in flight, so a connection can wait for
 * its replies before it closes.
 */
final class TaskOrigin {

	private static final FastThreadLocal<TaskOrigin> current = new FastThreadLocal<>();

	private static final AtomicIntegerFieldUpdater<TaskOrigin> IN_FLIGHT = AtomicIntegerFieldUpdater
		.newUpdater(TaskOrigin.class, "inFlight");

	private final Executor executor;

	private final int workerId;

	private final @Nullable Connection connection;

	private final LogContext logContext;

	/**
	 * The connection's log fields, made when its first event is handled rather than when
	 * it is accepted, so that a connection that never sends pays nothing for them; made
	 * once, as all they hold is immutable, even if two threads make them at once.
	 */
	private LogContext.@Nullable Fields logFields;

	/**
	 * Updated through {@link #IN_FLIGHT}, which costs each connection no object of its
	 * own.
	 */
	private volatile int inFlight;

	private volatile @Nullable Runnable whenIdle;

	/**
	 * Creates an origin.
	 * @param executor the event loop that runs the task's finish events
	 * @param workerId the index of that loop, or -1 for a task dispatched from outside
	 * the loops
	 * @param connection the origin connection, or {@code null}
	 * @param logFields whether its events put the connection, and the task they are for,
	 * in the logging MDC
	 */
	public TaskOrigin(Executor executor, int workerId, @Nullable Connection connection, boolean logFields) {
		this.executor = executor;
		this.workerId = workerId;
		this.connection = connection;
		this.logContext = LogContext.of(logFields);
	}

	/**
	 * The origin of the event being handled on this thread.
	 * @return the origin, or {@code null} outside an event handler
	 */
	public static @Nullable TaskOrigin current() {
		return current.get();
	}

	/**
	 * Makes this the origin of the tasks dispatched on this thread, until
	 * {@link #restore} is called with what this returns, in a {@code finally} block.
	 * @return the origin this thread had before, to restore
	 */
	public @Nullable TaskOrigin enter() {
		TaskOrigin previous = current.get();
		current.set(this);
		this.logContext.connection(logFields());
		return previous;
	}

	/**
	 * Gives this thread back the origin it had before {@link #enter()} was called on this
	 * one.
	 * @param previous what {@code enter()} returned
	 */
	public void restore(@Nullable TaskOrigin previous) {
		current.set(previous);
		this.logContext.connection((previous != null) ? previous.logFields() : null);
	}

	private LogContext.@Nullable Fields logFields() {
		LogContext.Fields fields = this.logFields;
		if (fields == null) {
			fields = this.logContext.fields(this.connection);
			this.logFields = fields;
		}
		return fields;
	}

	LogContext logContext() {
		return this.logContext;
	}

	public Executor executor() {
		return this.executor;
	}

	int workerId() {
		return this.workerId;
	}

	@Nullable Connection connection() {
		return this.connection;
	}

	/**
	 * Runs {@code action} on the event loop once no task from this origin is in flight,
	 * after the finish events of those tasks: at once if none is, else when the last one
	 * completes.
	 * @param action what to run
	 */
	public void whenIdle(Runnable action) {
		this.whenIdle = action;
		if (this.inFlight == 0) {
			runOnLoop(action);
		}
	}

	void dispatched() {
		IN_FLIGHT.incrementAndGet(this);
	}

	void completed() {
		if (IN_FLIGHT.decrementAndGet(this) == 0) {
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
		return this.inFlight;
	}

}
