package io.swooletask.amqp;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

class TrustedTypesRuntimeHintsTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final RuntimeHints hints = registeredHints();

	@Test
	void jdkValueTypesAreRegistered() {
		assertThat(TrustedTypes.JDK_VALUE_TYPES)
			.allSatisfy((type) -> assertThat(this.reflection.onType(type)).accepts(this.hints))
			.contains(String.class, BigDecimal.class, Instant.class);
	}

	@Test
	void arraysOfJdkValueTypesAndPrimitivesAreRegistered() {
		assertThat(this.reflection.onType(String[].class)
			.and(this.reflection.onType(Long[].class))
			.and(this.reflection.onType(byte[].class))
			.and(this.reflection.onType(int[].class))).accepts(this.hints);
	}

	@Test
	void commonMutableContainersAreRegistered() {
		assertThat(this.reflection.onType(ArrayList.class).and(this.reflection.onType(LinkedHashMap.class)))
			.accepts(this.hints);
	}

	@Test
	void containersOfTheJdkFactoryMethodsAreRegistered() {
		assertThat(Stream
			.of(List.of(1), List.of(1, 2, 3), Stream.of(1).toList(), Set.of(1), Set.of(1, 2, 3), Map.of(1, 1),
					Map.of(1, 1, 2, 2))
			.map(Object::getClass)).allSatisfy((type) -> assertThat(this.reflection.onType(type)).accepts(this.hints));
	}

	@Test
	void nothingIsRegisteredWithoutSpringAmqp() {
		RuntimeHints hints = new RuntimeHints();
		new TrustedTypesRuntimeHints().registerHints(hints, new FilteredClassLoader("org.springframework.amqp"));
		assertThat(hints.reflection().typeHints()).isEmpty();
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(TrustedTypesRuntimeHints.class);
	}

	private static RuntimeHints registeredHints() {
		RuntimeHints hints = new RuntimeHints();
		new TrustedTypesRuntimeHints().registerHints(hints, TrustedTypesRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

}
