package io.swooletask.server.netty;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.HandlerDefinitionException;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * Finds {@code @OnConnect}, {@code @OnReceive}, {@code @OnClose}, {@code @OnTask},
 * {@code @OnFinish}, {@code @OnWorkerStart} and {@code @OnWorkerStop} methods on every
 * bean, proxies included, and adds them to {@link SwooleHandlers}. A method that cannot
 * be bound fails the start-up with a {@link HandlerDefinitionException} naming bean,
 * method and fix.
 */
public final class HandlerMethodProcessor implements BeanPostProcessor {

	private static final List<EventKind> KINDS = List.of(EventKind.values());

	private static final Set<Class<? extends Annotation>> ANNOTATIONS = Set
		.copyOf(KINDS.stream().map(EventKind::annotation).toList());

	private final SwooleHandlers handlers = new SwooleHandlers();

	private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

	/**
	 * The handler methods found so far: all of them once the singletons are created.
	 * @return the handlers
	 */
	SwooleHandlers handlers() {
		return this.handlers;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		if (this.nonAnnotatedClasses.contains(targetClass)
				|| !AnnotationUtils.isCandidateClass(targetClass, ANNOTATIONS)) {
			return bean;
		}
		Map<Method, EventKind> methods = MethodIntrospector.selectMethods(targetClass,
				(MethodIntrospector.MetadataLookup<EventKind>) (method) -> kindOf(beanName, method));
		if (methods.isEmpty()) {
			this.nonAnnotatedClasses.add(targetClass);
			return bean;
		}
		methods.forEach((method, kind) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			this.handlers.add(kind, HandlerMethod.of(kind, beanName, bean, method, invocable));
		});
		return bean;
	}

	private static @Nullable EventKind kindOf(String beanName, Method method) {
		List<EventKind> kinds = KINDS.stream()
			.filter((kind) -> AnnotatedElementUtils.hasAnnotation(method, kind.annotation()))
			.toList();
		if (kinds.size() > 1) {
			throw new HandlerDefinitionException(
					"Method '" + method.getName() + "' of bean '" + beanName + "' ("
							+ method.getDeclaringClass().getName() + ") has several handler annotations: "
							+ Arrays.toString(kinds.stream().map(EventKind::annotationName).toArray()) + ".",
					"Keep one annotation per method; write one method per event.");
		}
		return kinds.isEmpty() ? null : kinds.get(0);
	}

}
