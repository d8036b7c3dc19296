package io.swooletask.server.netty;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.ExecutableHint;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The hints name methods of Java 21 and later by name, so that they hold on Java 17 too;
 * they are read back from the registered type hints, as the predicates would need the
 * methods to exist here.
 */
class TaskWorkerRuntimeHintsTests {

	@Test
	void virtualThreadFactoryMethodIsRegisteredForInvocation() {
		assertThat(registeredHints().reflection().getTypeHint(Thread.class).methods())
			.extracting(ExecutableHint::getName, ExecutableHint::getParameterTypes, ExecutableHint::getMode)
			.containsExactly(tuple("ofVirtual", List.of(), ExecutableMode.INVOKE));
	}

	@Test
	void virtualThreadBuilderMethodsAreRegisteredForInvocation() {
		assertThat(registeredHints().reflection().getTypeHint(TypeReference.of("java.lang.Thread$Builder")).methods())
			.extracting(ExecutableHint::getName, ExecutableHint::getParameterTypes, ExecutableHint::getMode)
			.containsExactlyInAnyOrder(tuple("name", List.of(TypeReference.of(String.class)), ExecutableMode.INVOKE),
					tuple("unstarted", List.of(TypeReference.of(Runnable.class)), ExecutableMode.INVOKE));
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(TaskWorkerRuntimeHints.class);
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new TaskWorkerRuntimeHints().registerHints(hints, TaskWorkerRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
