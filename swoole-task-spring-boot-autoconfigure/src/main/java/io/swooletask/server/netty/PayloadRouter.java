package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Picks, among several {@code @OnTask} (or {@code @OnFinish}) methods, the one whose
 * payload type is the most specific match for a payload's class. Each class is resolved
 * once.
 */
final class PayloadRouter {

	private final EventKind kind;

	private final List<HandlerMethod> handlers;

	private final ConcurrentHashMap<Class<?>, Object> routes = new ConcurrentHashMap<>();

	PayloadRouter(EventKind kind, List<HandlerMethod> handlers) {
		this.kind = kind;
		this.handlers = List.copyOf(handlers);
	}

	/**
	 * The handlers routed among.
	 * @return the handlers
	 */
	public List<HandlerMethod> handlers() {
		return this.handlers;
	}

	/**
	 * Whether there is no handler at all.
	 * @return whether it is empty
	 */
	public boolean isEmpty() {
		return this.handlers.isEmpty();
	}

	/**
	 * The handler for a payload.
	 * @param payload the task data or result
	 * @return the most specific handler
	 * @throws IllegalArgumentException if no handler, or more than one equally specific
	 * handler, takes it
	 */
	public HandlerMethod route(Object payload) {
		return route(payload.getClass());
	}

	/**
	 * The handler for payloads of a type.
	 * @param type the type of the task data or result
	 * @return the most specific handler
	 * @throws IllegalArgumentException if no handler, or more than one equally specific
	 * handler, takes it
	 */
	public HandlerMethod route(Class<?> type) {
		Object route = this.routes.get(type);
		if (route == null) {
			route = this.routes.computeIfAbsent(type, this::resolve);
		}
		if (route instanceof HandlerMethod handler) {
			return handler;
		}
		throw new IllegalArgumentException((String) route);
	}

	private Object resolve(Class<?> type) {
		List<HandlerMethod> best = new ArrayList<>();
		for (HandlerMethod candidate : this.handlers) {
			if (!candidate.payloadType().isAssignableFrom(type)) {
				continue;
			}
			if (best.stream().anyMatch((other) -> isMoreSpecific(other, candidate))) {
				continue;
			}
			best.removeIf((other) -> isMoreSpecific(candidate, other));
			best.add(candidate);
		}
		if (best.size() == 1) {
			return best.get(0);
		}
		if (best.isEmpty()) {
			return "No " + this.kind.annotationName() + " method takes " + type.getName()
					+ (this.handlers.isEmpty() ? "; none is declared" : "; declared: " + describe(this.handlers));
		}
		return "Several " + this.kind.annotationName() + " methods take " + type.getName()
				+ " and none is more specific: " + describe(best);
	}

	private static boolean isMoreSpecific(HandlerMethod a, HandlerMethod b) {
		return a.payloadType() != b.payloadType() && b.payloadType().isAssignableFrom(a.payloadType());
	}

	private static String describe(List<HandlerMethod> handlers) {
		return handlers.stream()
			.map((handler) -> handler + "(" + handler.payloadType().getSimpleName() + ")")
			.collect(Collectors.joining(", "));
	}

}
