package io.swooletask.amqp;

import java.util.List;
import java.util.stream.Stream;

import io.swooletask.handler.HandlerMethod;
import io.swooletask.handler.SwooleHandlers;

/**
 * The types handler methods declare, as the task runtime hands them to a backend through
 * its context.
 */
final class DeclaredTypes {

	private DeclaredTypes() {
	}

	static List<Class<?>> taskData(SwooleHandlers handlers) {
		return handlers.tasks().handlers().stream().<Class<?>>map(HandlerMethod::payloadType).toList();
	}

	static List<Class<?>> results(SwooleHandlers handlers) {
		return Stream
			.concat(handlers.finishes().handlers().stream().map(HandlerMethod::payloadType),
					handlers.tasks().handlers().stream().map(HandlerMethod::returnType))
			.toList();
	}

}
