package io.swooletask.server.netty;

import io.swooletask.task.TaskWorkerSettings;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The virtual thread builder that {@link TaskWorkerSettings.WorkerThreads#virtual()}
 * calls reflectively, the project being built for Java 17.
 */
class TaskWorkerRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.reflection()
			.registerType(Thread.class, (type) -> type.withMethod("ofVirtual", List.of(), ExecutableMode.INVOKE))
			.registerType(TypeReference.of("java.lang.Thread$Builder"),
					(type) -> type.withMethod("name", List.of(TypeReference.of(String.class)), ExecutableMode.INVOKE)
						.withMethod("unstarted", List.of(TypeReference.of(Runnable.class)), ExecutableMode.INVOKE));
	}

}
