package io.swooletask.observation;

import java.time.Duration;

import io.swooletask.server.Task;

/**
 * The context of the {@code swoole.task} observation: an {@code @OnTask} call on a task
 * worker, of this node or of another.
 */
public class SwooleTaskContext extends SwooleStepContext {

	private final Task task;

	private final Duration queueWait;

	public SwooleTaskContext(Task task, String handler, String transport, Duration queueWait) {
		super(handler, transport);
		this.task = task;
		this.queueWait = queueWait;
	}

	public Task getTask() {
		return this.task;
	}

	/**
	 * How long the task waited before a worker took it: from its dispatch on this node,
	 * or, from another node, from its dispatch time there (to the millisecond, as far as
	 * the clocks agree).
	 * @return the queue wait
	 */
	public Duration getQueueWait() {
		return this.queueWait;
	}

}
