package io.swooletask.benchmarks.starter;

import io.swooletask.benchmarks.protocol.ReplyForm;
import io.swooletask.benchmarks.protocol.Request;
import io.swooletask.server.Connection;
import io.swooletask.server.Task;
import io.swooletask.server.TaskErrorHandler;

import org.springframework.stereotype.Component;

/**
 * Answers a task that threw (an {@code F} request) with {@code ERR <payload>}, on the
 * event loop that dispatched it.
 */
@Component
class FailedTaskReplier implements TaskErrorHandler {

	@Override
	public void onError(Task task, Connection connection, Throwable exception) {
		if (connection != null && task.data() instanceof Request request) {
			connection.send(ReplyForm.ERROR.format(request.payload()) + "\n");
		}
	}

}
