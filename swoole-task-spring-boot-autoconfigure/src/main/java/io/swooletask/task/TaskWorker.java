package io.swooletask.task;

import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One local task worker: a thread that takes the next task from the {@link TaskQueue}, runs its
 * {@code @OnTask} method through the {@link TaskInvoker}, and hands each result, the failure and the
 * end of the task on to the {@link FinishDelivery}.
 */
final class TaskWorker {

	private static final Log logger = LogFactory.getLog(TaskWorker.class);

	private final int id;

	private final TaskQueue queue;

	private final TaskCapacity capacity;

	private final TaskInvoker invoker;

	private final FinishDelivery delivery;

	private final IdleSignal idleSignal;

	private final TaskWorkerSettings settings;

	private volatile Thread thread;

	private volatile DispatchedTask current;

	TaskWorker(int id, TaskQueue queue, TaskCapacity capacity, TaskInvoker invoker, FinishDelivery delivery,
			IdleSignal idleSignal, TaskWorkerSettings settings) {
		this.id = id;
		this.queue = queue;
		this.capacity = capacity;
		this.invoker = invoker;
		this.delivery = delivery;
		this.idleSignal = idleSignal;
		this.settings = settings;
	}

	Thread thread() {
		return this.thread;
	}

	/**
	 * The task this worker runs now.
	 * @return the task, or {@code null} if it runs none
	 */
	DispatchedTask current() {
		return this.current;
	}

	void start() {
		Thread thread = this.settings.threads().newThread(this.id, this::run);
		this.thread = thread;
		thread.start();
	}

	/**
	 * Runs tasks until the queue closes or the worker retires after {@code task-max-request} tasks. A
	 * {@link VirtualMachineError} thrown on by a task ends this thread after a fresh one has taken its
	 * place, with the same id.
	 */
	private void run() {
		try {
			int limit = requestLimit();
			int done = 0;
			for (DispatchedTask task = this.queue.take(this.id); task != null; task = this.queue.take(this.id)) {
				runTask(task);
				if (limit > 0 && ++done >= limit) {
					start();
					return;
				}
			}
		}
		catch (VirtualMachineError error) {
			if (!this.queue.isClosed()) {
				start();
				logger.error("Task worker " + this.id + " ended its thread on " + error
						+ "; a new thread takes its place", error);
			}
		}
	}

	/**
	 * Runs one task and hands on what became of it: the result it returned, or its failure. Whatever
	 * its method throws fails the task; a {@link VirtualMachineError} is thrown on after that.
	 */
	private void runTask(DispatchedTask task) {
		task.workerId = this.id;
		this.current = task;
		this.capacity.release();
		try {
			Object result = this.invoker.invoke(task);
			if (result != null) {
				this.delivery.returned(task, result);
			}
			else {
				this.delivery.ended(task);
			}
		}
		catch (Throwable ex) {
			this.delivery.failed(task, ex);
			this.delivery.ended(task);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
		finally {
			this.current = null;
			this.idleSignal.changed();
		}
	}

	private int requestLimit() {
		int max = this.settings.maxRequest();
		if (max <= 0) {
			return 0;
		}
		int grace = this.settings.maxRequestGrace();
		return max + ((grace > 0) ? ThreadLocalRandom.current().nextInt(grace + 1) : 0);
	}

}
