package io.swooletask.server;

/**
 * Receives the finish results of one task, in place of {@code @OnFinish}.
 *
 * @param <R> the result type
 * @see SwooleServer#task(Object, FinishCallback)
 */
@FunctionalInterface
public interface FinishCallback<R> {

	/**
	 * Called once per finish result, on the event loop that dispatched the task.
	 * @param task the task
	 * @param result the result
	 */
	void onFinish(Task task, R result);

}
