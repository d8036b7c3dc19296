package io.swooletask.server.netty;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.Task;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The accessors that {@link HandlerMethod} looks up as method handles, to bind
 * {@code long fd}, {@code int reactorId}, {@code long taskId} and {@code int srcWorkerId}
 * parameters.
 */
class HandlerMethodRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(Connection.class,
					(type) -> type.withMethod("id", List.of(), ExecutableMode.INVOKE)
						.withMethod("reactorId", List.of(), ExecutableMode.INVOKE))
			.registerType(Task.class, (type) -> type.withMethod("id", List.of(), ExecutableMode.INVOKE)
				.withMethod("srcWorkerId", List.of(), ExecutableMode.INVOKE));
	}

}
