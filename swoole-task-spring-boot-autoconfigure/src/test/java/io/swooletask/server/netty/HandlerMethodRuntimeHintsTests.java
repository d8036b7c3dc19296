package io.swooletask.server.netty;

import io.swooletask.server.Connection;
import io.swooletask.server.Task;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

class HandlerMethodRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	@Test
	void connectionAccessorsBoundToParametersAreRegisteredForInvocation() {
		assertThat(this.reflection.onMethodInvocation(Connection.class, "id")
			.and(this.reflection.onMethodInvocation(Connection.class, "reactorId"))).accepts(registeredHints());
	}

	@Test
	void taskAccessorsBoundToParametersAreRegisteredForInvocation() {
		assertThat(this.reflection.onMethodInvocation(Task.class, "id")
			.and(this.reflection.onMethodInvocation(Task.class, "srcWorkerId"))).accepts(registeredHints());
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(HandlerMethodRuntimeHints.class);
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new HandlerMethodRuntimeHints().registerHints(hints, HandlerMethodRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
