package io.swooletask.amqp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * The JDK types that {@link TrustedTypes} loads by the name a message gives, besides the
 * types the handler methods declare (registered by their annotations): the JDK value
 * types and arrays of them, primitive arrays, and the lists, sets and maps that senders
 * commonly pass, those of {@code List.of}, {@code Set.of}, {@code Map.of} and
 * {@code Stream.toList()} included.
 */
class TrustedTypesRuntimeHints implements RuntimeHintsRegistrar {

	private static final List<Class<?>> PRIMITIVE_ARRAYS = List.of(boolean[].class, byte[].class, char[].class,
			short[].class, int[].class, long[].class, float[].class, double[].class);

	private static final List<Class<?>> CONTAINERS = List.of(ArrayList.class, LinkedList.class, HashSet.class,
			LinkedHashSet.class, TreeSet.class, HashMap.class, LinkedHashMap.class, TreeMap.class);

	private static final List<String> IMMUTABLE_CONTAINERS = List.of("java.util.ImmutableCollections$List12",
			"java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$Set12",
			"java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Map1",
			"java.util.ImmutableCollections$MapN");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent("org.springframework.amqp.rabbit.connection.ConnectionFactory", classLoader)) {
			return;
		}
		ReflectionHints reflection = hints.reflection();
		TrustedTypes.JDK_VALUE_TYPES.forEach((type) -> reflection.registerType(type).registerType(type.arrayType()));
		PRIMITIVE_ARRAYS.forEach(reflection::registerType);
		CONTAINERS.forEach(reflection::registerType);
		IMMUTABLE_CONTAINERS.forEach((name) -> reflection.registerType(TypeReference.of(name)));
	}

}
