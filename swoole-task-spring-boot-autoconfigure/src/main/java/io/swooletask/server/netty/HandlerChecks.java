package io.swooletask.server.netty;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.HandlerDefinitionException;

/**
 * Checks at start that the declared handler methods fit the settings: fails the start
 * where the server would have nothing to do or data nowhere to go, warns where results
 * would reach no {@code @OnFinish} method.
 */
final class HandlerChecks {

	// the server's category, which has always reported these at start
	private static final Log logger = LogFactory.getLog(NettySwooleServer.class);

	private HandlerChecks() {
	}

	static void check(NettySwooleServerFactory options, SwooleHandlers handlers) {
		if (options.isListen() && handlers.receive() == null && handlers.tasks().isEmpty()) {
			throw new HandlerDefinitionException(
					"Neither an @OnReceive nor an @OnTask method is declared, so the server has nothing to do.",
					"Declare an @OnReceive method for a TCP server, @OnTask methods for a task pool, or set"
							+ " swoole.server.enabled=false. A node that only dispatches tasks to other nodes"
							+ " (swoole.server.task-transport=amqp) sets swoole.server.listen=false.");
		}
		int taskWorkerNum = options.getTaskWorkerNum();
		if (taskWorkerNum > 0 && handlers.tasks().isEmpty()) {
			throw new HandlerDefinitionException(
					"swoole.server.task-worker-num is " + taskWorkerNum + " but no @OnTask method is declared.",
					"Declare an @OnTask method on a bean, or set swoole.server.task-worker-num to 0.");
		}
		if (handlers.receive() != null) {
			warnOfResultsWithoutFinish(handlers);
		}
	}

	/**
	 * Warns once for each {@code @OnTask} result type that no {@code @OnFinish} method
	 * can take: such a result reaches only the callbacks and futures of
	 * {@code task(data, callback)} and {@code taskAsync}. A task pool without a TCP
	 * server, whose tasks come from other threads, is left alone: those are what it uses.
	 */
	private static void warnOfResultsWithoutFinish(SwooleHandlers handlers) {
		List<HandlerMethod> finishes = handlers.finishes().handlers();
		for (HandlerMethod task : handlers.tasks().handlers()) {
			Class<?> result = task.returnType();
			if (result == void.class || result == Void.class || result == Object.class
					|| finishes.stream()
						.anyMatch((finish) -> finish.payloadType().isAssignableFrom(result)
								|| result.isAssignableFrom(finish.payloadType()))) {
				continue;
			}
			logger.warn("@OnTask method " + task + " returns " + result.getName() + ", which no @OnFinish method takes"
					+ (finishes.isEmpty() ? " (none is declared)" : "")
					+ ": its results reach only task(data, callback)"
					+ " and taskAsync. Declare an @OnFinish method taking " + result.getSimpleName()
					+ " for task(data).");
		}
	}

}
