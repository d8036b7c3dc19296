package io.swooletask.server.netty;

import java.lang.reflect.Method;
import java.lang.reflect.Type;

import io.swooletask.annotation.OnTask;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.annotation.SimpleReflectiveProcessor;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Registers an {@code @OnTask} or {@code @OnFinish} method for invocation, and the types
 * of its task data and result for data binding: the amqp transport writes and reads them
 * as JSON with Jackson, which, in a native image, sees only the members registered. The
 * permitted subclasses of a sealed type are registered too, since a message may carry any
 * of them.
 */
public final class TaskPayloadReflectiveProcessor extends SimpleReflectiveProcessor {

	private final BindingReflectionHintsRegistrar bindingRegistrar = new BindingReflectionHintsRegistrar();

	@Override
	protected void registerMethodHint(ReflectionHints hints, Method method) {
		super.registerMethodHint(hints, method);
		boolean task = AnnotatedElementUtils.hasAnnotation(method, OnTask.class);
		EventKind kind = task ? EventKind.TASK : EventKind.FINISH;
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			if (kind.argumentFor(types[i]) == Argument.PAYLOAD) {
				registerBinding(hints, MethodParameter.forExecutable(method, i).getGenericParameterType());
			}
		}
		if (task) {
			registerBinding(hints, method.getGenericReturnType());
		}
	}

	private void registerBinding(ReflectionHints hints, Type type) {
		this.bindingRegistrar.registerReflectionHints(hints, type);
		Class<?> rawType = ResolvableType.forType(type).toClass();
		if (rawType.isSealed()) {
			for (Class<?> subclass : rawType.getPermittedSubclasses()) {
				registerBinding(hints, subclass);
			}
		}
	}

}
