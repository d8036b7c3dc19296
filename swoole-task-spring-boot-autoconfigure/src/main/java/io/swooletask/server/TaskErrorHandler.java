package io.swooletask.server;

import org.jspecify.annotations.Nullable;

/**
 * Called when a task throws, on the thread where its {@code @OnFinish} would run, so the
 * application can answer its client. Declare one as a bean. Tasks dispatched with
 * {@link SwooleServer#taskAsync(Object)} or {@link SwooleServer#taskwait} report to their
 * caller instead.
 */
@FunctionalInterface
public interface TaskErrorHandler {

	/**
	 * Handles a failed task.
	 * @param task the task that threw
	 * @param connection the origin connection, or {@code null} if the task was dispatched
	 * outside a connection event
	 * @param exception what the task threw
	 */
	void onError(Task task, @Nullable Connection connection, Throwable exception);

}
