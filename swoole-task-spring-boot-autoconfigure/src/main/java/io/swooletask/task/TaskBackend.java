package io.swooletask.task;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.Task;

/**
 * Where the tasks of a server run: the local task worker pool by default, or a transport
 * to task workers elsewhere, the backend of {@code swoole.server.task-transport}. Each
 * task submitted has taken a place in {@code task-queue-capacity}, which it holds until
 * the backend reports its end to the {@link Context} it was created with.
 */
public interface TaskBackend {

	/**
	 * Starts the workers, or the connection to them.
	 */
	void start();

	/**
	 * Checks that a task may be targeted at a worker, before it is dispatched.
	 * @param dstWorkerId the worker id, or -1 for any worker
	 * @throws RuntimeException naming the reason when it may not
	 */
	void checkTarget(int dstWorkerId);

	/**
	 * Writes to every open connection of the application: of this node, and of every
	 * other node that serves clients through this backend. Backends refuse unless they
	 * say so by overriding this, so that a broadcast never silently misses the
	 * connections of other nodes.
	 * @param data the bytes
	 * @return how many connections took them, where this node writes them all now; what
	 * the overriding backend documents otherwise
	 * @throws UnsupportedOperationException if this backend cannot reach every connection
	 */
	default int broadcast(byte[] data) {
		throw new UnsupportedOperationException(getClass().getName() + " does not say that it reaches every"
				+ " connection of the application, so broadcast(data) could miss some.");
	}

	/**
	 * Fails, on the dispatching thread, when this backend cannot keep the order of tasks
	 * with equal keys ({@code taskOrdered}). Backends do not order tasks unless they say
	 * so by overriding this.
	 * @throws UnsupportedOperationException if it cannot
	 */
	default void checkOrdered() {
		throw new UnsupportedOperationException(getClass().getName() + " does not run tasks in key order,"
				+ " so it cannot take taskOrdered(key, data); use task(data).");
	}

	/**
	 * Runs a task, which has taken a place in the capacity. A task submitted while the
	 * backend stops either is one of the tasks {@link #stop(long)} returns, or is refused
	 * here, never both and never neither.
	 * @param task the task
	 * @throws ServerShutdownException when the backend has stopped and the task will not
	 * run
	 */
	void submit(BackendTask task);

	/**
	 * How many task workers run here.
	 * @return the count
	 */
	int workerNum();

	/**
	 * How many tasks run here now.
	 * @return the count
	 */
	int running();

	/**
	 * Waits until no task is queued or running.
	 * @return whether that happened within the timeout
	 */
	boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException;

	/**
	 * Whether no task is queued or running.
	 * @return whether the backend is idle
	 */
	boolean isIdle();

	/**
	 * Whether the backend can run tasks.
	 * @return whether it is alive
	 */
	boolean isAlive();

	/**
	 * The tasks running here now.
	 * @return the tasks
	 */
	List<BackendTask> runningTasks();

	/**
	 * Stops taking tasks; the tasks running here may finish until the deadline.
	 * @param deadlineNanos when the shutdown must be over, in {@link System#nanoTime()}'s
	 * terms: every wait of the stop takes what is left of it, never a timeout of its own
	 * @return the tasks submitted that will not end here, still holding their places:
	 * queued and not started, or sent elsewhere with no end reported yet; the server
	 * fails and ends them
	 */
	List<BackendTask> stop(long deadlineNanos);

	/**
	 * What the health endpoint shows of the backend beyond the task counters.
	 * @return the details by name
	 */
	default Map<String, Object> details() {
		return Map.of();
	}

	/**
	 * What a backend is given to run tasks and report what became of them. A task it was
	 * submitted holds a place in {@code task-queue-capacity} until its {@link #ended}; a
	 * worker that runs tasks here calls {@link #run} between {@link #workerStarted} and
	 * {@link #workerStopped}.
	 */
	interface Context {

		/**
		 * How the task workers run.
		 * @return the settings
		 */
		TaskWorkerSettings settings();

		/**
		 * The types {@code @OnTask} methods take: what task data that arrives from
		 * elsewhere may be read into.
		 * @return the types
		 */
		List<Class<?>> taskDataTypes();

		/**
		 * The types a result that arrives from elsewhere may be read into: what
		 * {@code @OnFinish} methods take and what {@code @OnTask} methods return.
		 * @return the types
		 */
		List<Class<?>> resultTypes();

		/**
		 * Checks that an {@code @OnTask} method takes data of a type, before data of it
		 * is read.
		 * @param type the type of the data
		 * @throws IllegalArgumentException naming the type when no method takes it
		 */
		void checkTaskData(Class<?> type);

		/**
		 * Runs the {@code @OnTask} method for a task on this thread, a task worker,
		 * counted and observed as a descendant of the observation in scope here.
		 * @param task the task
		 * @param queueWaitNanos how long it waited for a worker
		 * @return what the method returned, {@code null} for nothing
		 * @throws Throwable what the method threw
		 */
		@Nullable Object run(Task task, long queueWaitNanos) throws Throwable;

		/**
		 * Runs the {@code @OnWorkerStart} method, if any, on this thread, before its
		 * first task. A throw is logged, and the worker runs on.
		 * @param workerId the worker's id
		 */
		void workerStarted(int workerId);

		/**
		 * Runs the {@code @OnWorkerStop} method, if any, on this thread, after its last
		 * task. A throw is logged.
		 * @param workerId the worker's id
		 */
		void workerStopped(int workerId);

		/**
		 * Delivers a finish result of a task to its origin.
		 * @param task the task
		 * @param workerId the worker that ran it
		 * @param result the result
		 */
		void result(BackendTask task, int workerId, Object result);

		/**
		 * Delivers the failure of a task to its origin.
		 * @param task the task
		 * @param workerId the worker that ran it, or -1
		 * @param ex why it failed
		 */
		void failed(BackendTask task, int workerId, Throwable ex);

		/**
		 * Ends a task, after its last result or its failure: gives its place in the
		 * capacity back and counts it done at its origin. Called once per task submitted,
		 * unless {@link #stop} returns it.
		 * @param task the task
		 */
		void ended(BackendTask task);

		/**
		 * Whether the server is stopping: it admits no more tasks.
		 * @return whether intake is closed
		 */
		boolean isClosed();

		/**
		 * This node's open connections, for writes that arrive from other nodes.
		 * @return the connections
		 */
		NodeConnections connections();

		/**
		 * Waits until {@code idle} holds, checking it again after each {@link #ended}.
		 * @param idle whether the backend is idle
		 * @param timeout how long to wait
		 * @param unit the unit of {@code timeout}
		 * @return whether it became idle in time
		 */
		boolean awaitIdle(BooleanSupplier idle, long timeout, TimeUnit unit) throws InterruptedException;

	}

	/**
	 * Creates the backend of a server's tasks.
	 */
	@FunctionalInterface
	interface Factory {

		/**
		 * Creates a backend.
		 * @param context what the backend runs tasks with and reports their outcomes to
		 * @return the backend
		 */
		TaskBackend create(Context context);

		/**
		 * The task ids of this server count up from after this, so that ids from
		 * processes sharing the workers differ.
		 * @return the id before the first
		 */
		default long firstId() {
			return 0;
		}

	}

}
