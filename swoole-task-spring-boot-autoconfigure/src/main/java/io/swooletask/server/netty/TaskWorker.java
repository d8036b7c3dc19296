package io.swooletask.server.netty;

import io.swooletask.task.TaskWorkerSettings;

import java.util.concurrent.ThreadLocalRandom;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One local task worker: a thread that takes the next task from the {@link TaskQueue},
 * runs its {@code @OnTask} method through the {@link TaskInvoker}, and hands each result,
 * the failure and the end of the task on to the {@link FinishDelivery}.
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

	private volatile @Nullable Thread thread;

	private volatile @Nullable TaskRun current;

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

	@Nullable Thread thread() {
		return this.thread;
	}

	/**
	 * The task this worker runs now.
	 * @return the task, or {@code null} if it runs none
	 */
	@Nullable DispatchedTask current() {
		TaskRun run = this.current;
		return (run != null) ? run.task : null;
	}

	void start() {
		Thread thread = this.settings.threads().newThread(this.id, this::run);
		this.thread = thread;
		thread.start();
	}

	/**
	 * Runs tasks until the queue closes. After {@code task-max-request} tasks, or a
	 * {@link VirtualMachineError} thrown on by a task, a fresh thread takes this one's
	 * place, with the same id; if none can be started, this one carries on, so that the
	 * id and its targeted tasks are never left without a thread.
	 */
	private void run() {
		this.invoker.workerStarted(this.id);
		int limit = requestLimit();
		int done = 0;
		for (DispatchedTask task = this.queue.take(this.id); task != null; task = this.queue.take(this.id)) {
			try {
				runTask(task);
			}
			catch (VirtualMachineError error) {
				if (this.queue.isClosed()) {
					break;
				}
				if (replaced("in place of its thread ended by " + error)) {
					logger.error("Task worker " + this.id + " ended its thread on " + error
							+ "; a new thread takes its place", error);
					return;
				}
			}
			if (limit > 0 && ++done >= limit) {
				if (replaced("to retire its thread after " + done + " tasks")) {
					return;
				}
				done = 0;
			}
		}
		this.invoker.workerStopped(this.id);
	}

	/**
	 * Starts a fresh thread for this worker, once this one has had its
	 * {@code @OnWorkerStop}.
	 * @param why what the log says the thread was for, if it cannot start
	 * @return whether it started; if not, the calling thread stays this worker's thread,
	 * and has its {@code @OnWorkerStart} again
	 */
	private boolean replaced(String why) {
		this.invoker.workerStopped(this.id);
		try {
			start();
			return true;
		}
		catch (Throwable ex) {
			this.thread = Thread.currentThread();
			logger.error("Task worker " + this.id + " could not start a new thread " + why + "; that thread carries on",
					ex);
			this.invoker.workerStarted(this.id);
			return false;
		}
	}

	/**
	 * Runs one task and hands on what became of it: the result it returned, or its
	 * failure. Whatever its method throws fails the task; a {@link VirtualMachineError}
	 * is thrown on after that. The task's place in the capacity is given back as it
	 * leaves the queue.
	 */
	private void runTask(DispatchedTask task) {
		TaskRun run = new TaskRun(task, this.id, this.delivery);
		this.current = run;
		this.capacity.release();
		try {
			Object result = this.invoker.invoke(run);
			if (result != null) {
				this.delivery.returned(run, result);
			}
			else {
				this.delivery.ended(task);
			}
		}
		catch (Throwable ex) {
			this.delivery.failed(run, ex);
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
