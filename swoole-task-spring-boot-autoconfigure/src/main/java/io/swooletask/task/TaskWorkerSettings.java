package io.swooletask.task;

/**
 * How the task workers run.
 *
 * @param workerNum how many task workers
 * @param maxRequest how many tasks a worker thread runs before a fresh thread takes its place; 0 for
 * never
 * @param maxRequestGrace up to how many more tasks, drawn at random per thread, so workers do not all
 * retire at once
 * @param threads creates the thread of a worker, from its id and body
 */
public record TaskWorkerSettings(int workerNum, int maxRequest, int maxRequestGrace, WorkerThreads threads) {

	/**
	 * Creates task worker threads.
	 */
	@FunctionalInterface
	public interface WorkerThreads {

		/**
		 * A new, unstarted thread for a task worker.
		 * @param workerId the worker id
		 * @param body what the thread runs
		 * @return the thread
		 */
		Thread newThread(int workerId, Runnable body);

		/**
		 * Platform daemon threads named {@code swoole-task-worker-<id>}.
		 * @return the factory
		 */
		static WorkerThreads platform() {
			return (workerId, body) -> {
				Thread thread = new io.netty.util.concurrent.FastThreadLocalThread(body,
						"swoole-task-worker-" + workerId);
				thread.setDaemon(true);
				return thread;
			};
		}

	}

}
