package io.swooletask.observation;

import io.swooletask.server.Task;

/**
 * The context of the {@code swoole.finish} observation: a finish result of a task handed,
 * on the event loop that dispatched the task, to its {@code @OnFinish} method, callback
 * or future.
 */
public class SwooleFinishContext extends SwooleStepContext {

	private final Task task;

	public SwooleFinishContext(Task task, String handler, String transport) {
		super(handler, transport);
		this.task = task;
	}

	public Task getTask() {
		return this.task;
	}

}
