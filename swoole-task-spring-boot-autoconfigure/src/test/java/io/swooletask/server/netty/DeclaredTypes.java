package io.swooletask.server.netty;

import java.util.List;
import java.util.stream.Stream;

/**
 * The types handler methods declare, as the task runtime hands them to a backend through
 * its context: for the tests of a backend, which sees nothing of the handlers but these.
 */
public final class DeclaredTypes {

	private DeclaredTypes() {
	}

	public static List<Class<?>> taskData(HandlerMethodProcessor processor) {
		return processor.handlers().tasks().handlers().stream().<Class<?>>map(HandlerMethod::payloadType).toList();
	}

	/**
	 * What the context's {@code checkTaskData} does: fails for a type no {@code @OnTask}
	 * method takes.
	 */
	public static void checkTaskData(HandlerMethodProcessor processor, Class<?> type) {
		processor.handlers().tasks().route(type);
	}

	public static List<Class<?>> results(HandlerMethodProcessor processor) {
		SwooleHandlers handlers = processor.handlers();
		return Stream
			.concat(handlers.finishes().handlers().stream().map(HandlerMethod::payloadType),
					handlers.tasks().handlers().stream().map(HandlerMethod::returnType))
			.toList();
	}

}
