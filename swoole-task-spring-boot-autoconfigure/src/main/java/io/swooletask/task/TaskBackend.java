package io.swooletask.task;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.swooletask.server.ServerShutdownException;

/**
 * Where the tasks of a {@link TaskRuntime} run: the local {@link TaskWorkerPool} by default, or a
 * transport to task workers elsewhere. The {@link TaskAdmission} has taken a place in the
 * {@link TaskCapacity} for each task it submits; the backend gives it back when the task leaves the
 * stage the bound covers.
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
	 * Runs a task, which has taken a place in the capacity. A task submitted while the backend stops
	 * either is one of the tasks {@link #stop(long)} returns, or is refused here, never both and never
	 * neither.
	 * @param task the task
	 * @throws ServerShutdownException when the backend has stopped and the task
	 * will not run
	 */
	void submit(DispatchedTask task);

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
	List<DispatchedTask> runningTasks();

	/**
	 * Stops taking tasks; the tasks running here may finish until the deadline.
	 * @param deadlineNanos when the shutdown must be over, in {@link System#nanoTime()}'s terms: every
	 * wait of the stop takes what is left of it, never a timeout of its own
	 * @return the tasks submitted that will not end here: queued and not started, or sent elsewhere with
	 * no end reported yet
	 */
	List<DispatchedTask> stop(long deadlineNanos);

	/**
	 * What the health endpoint shows of the backend beyond the task counters.
	 * @return the details by name
	 */
	default Map<String, Object> details() {
		return Map.of();
	}

	/**
	 * Creates the backend of a server's tasks.
	 */
	@FunctionalInterface
	interface Factory {

		/**
		 * Creates a backend.
		 * @param invoker runs the {@code @OnTask} methods on the thread that calls it
		 * @param delivery carries the finish results, failures and ends back to the tasks' origins
		 * @param settings the task worker settings
		 * @param capacity the places the admission takes for the tasks it submits
		 * @return the backend
		 */
		TaskBackend create(TaskInvoker invoker, FinishDelivery delivery, TaskWorkerSettings settings,
				TaskCapacity capacity);

		/**
		 * The task ids of this server count up from after this, so that ids from processes sharing
		 * the workers differ.
		 * @return the id before the first
		 */
		default long firstId() {
			return 0;
		}

	}

}
