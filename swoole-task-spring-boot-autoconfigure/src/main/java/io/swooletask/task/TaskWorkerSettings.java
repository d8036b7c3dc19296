package io.swooletask.task;

import java.lang.reflect.Method;

import io.swooletask.server.TaskOverflow;

/**
 * How the task workers run.
 *
 * @param workerNum how many task workers, or {@link #AUTO}
 * @param maxRequest how many tasks a worker thread runs before a fresh thread takes its
 * place; 0 for never
 * @param maxRequestGrace up to how many more tasks, drawn at random per thread, so
 * workers do not all retire at once
 * @param threads creates the thread of a worker, from its id and body
 * @param queueCapacity how many tasks may wait in the queues together
 * @param overflow what {@code task()} does when the queue is full
 * @param enqueueTimeoutNanos how long {@code task()} off an event loop waits for room,
 * with {@link TaskOverflow#BACKPRESSURE}
 * @param producerLoops how many event loops may dispatch at once, each of which may add
 * one task past the point where the intake is stopped
 * @param logFields whether the task and its connection are put in the logging MDC while
 * their handlers run ({@code swoole.server.logging.mdc})
 */
public record TaskWorkerSettings(int workerNum, int maxRequest, int maxRequestGrace, WorkerThreads threads,
		int queueCapacity, TaskOverflow overflow, long enqueueTimeoutNanos, int producerLoops, boolean logFields) {

	/**
	 * The number of task workers when {@code task-worker-num} is not set: one per
	 * available processor if the application declares an {@code @OnTask} method, else
	 * none.
	 */
	public static final int AUTO = -1;

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
				Thread thread = new BlockingWorkerThread(body, name(workerId));
				thread.setDaemon(true);
				return thread;
			};
		}

		/**
		 * Virtual threads named {@code swoole-task-worker-<id>}, on Java 21 or later. The
		 * project builds for Java 17, so the builder is looked up once, reflectively.
		 * @return the factory
		 * @throws IllegalStateException on a Java without virtual threads
		 */
		static WorkerThreads virtual() {
			try {
				Class<?> builderType = Class.forName("java.lang.Thread$Builder");
				Method ofVirtual = Thread.class.getMethod("ofVirtual");
				Method name = builderType.getMethod("name", String.class);
				Method unstarted = builderType.getMethod("unstarted", Runnable.class);
				return (workerId, body) -> {
					try {
						Object builder = name.invoke(ofVirtual.invoke(null), name(workerId));
						return (Thread) unstarted.invoke(builder, body);
					}
					catch (ReflectiveOperationException ex) {
						throw new IllegalStateException("Cannot create a virtual thread", ex);
					}
				};
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Virtual threads need Java 21 or later", ex);
			}
		}

		private static String name(int workerId) {
			return "swoole-task-worker-" + workerId;
		}

	}

}
