package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.HandlerDefinitionException;

/**
 * The application's handler methods, collected by {@link HandlerMethodProcessor}: at most
 * one for each connection event and each task worker event, and a {@link PayloadRouter}
 * each for tasks and finishes.
 */
final class SwooleHandlers {

	private final Map<EventKind, List<HandlerMethod>> methods = new EnumMap<>(EventKind.class);

	private volatile @Nullable Routers routers;

	void add(EventKind kind, HandlerMethod handler) {
		List<HandlerMethod> existing = this.methods.computeIfAbsent(kind, (key) -> new ArrayList<>());
		for (HandlerMethod other : existing) {
			if (!kind.isRoutedByPayload()) {
				throw new HandlerDefinitionException(
						"Two " + kind.annotationName() + " methods are declared: " + other + " and " + handler + ".",
						"Keep one " + kind.annotationName() + " method; Swoole has one callback per event.");
			}
			if (other.payloadType() == handler.payloadType()) {
				throw new HandlerDefinitionException(
						"Two " + kind.annotationName() + " methods take the same type "
								+ handler.payloadType().getName() + ": " + other + " and " + handler + ".",
						"Merge them, or give each a distinct data parameter type so that one is more specific.");
			}
		}
		existing.add(handler);
		this.routers = null;
	}

	/**
	 * The {@code @OnConnect} method, if declared.
	 * @return the handler or {@code null}
	 */
	public @Nullable HandlerMethod connect() {
		return single(EventKind.CONNECT);
	}

	/**
	 * The {@code @OnReceive} method, if declared.
	 * @return the handler or {@code null}
	 */
	public @Nullable HandlerMethod receive() {
		return single(EventKind.RECEIVE);
	}

	/**
	 * The {@code @OnClose} method, if declared.
	 * @return the handler or {@code null}
	 */
	public @Nullable HandlerMethod close() {
		return single(EventKind.CLOSE);
	}

	/**
	 * The {@code @OnWorkerStart} method, if declared.
	 * @return the handler or {@code null}
	 */
	public @Nullable HandlerMethod workerStart() {
		return single(EventKind.WORKER_START);
	}

	/**
	 * The {@code @OnWorkerStop} method, if declared.
	 * @return the handler or {@code null}
	 */
	public @Nullable HandlerMethod workerStop() {
		return single(EventKind.WORKER_STOP);
	}

	/**
	 * The {@code @OnTask} methods.
	 * @return their router
	 */
	public PayloadRouter tasks() {
		return routers().tasks();
	}

	/**
	 * The {@code @OnFinish} methods.
	 * @return their router
	 */
	public PayloadRouter finishes() {
		return routers().finishes();
	}

	private @Nullable HandlerMethod single(EventKind kind) {
		List<HandlerMethod> handlers = this.methods.get(kind);
		return (handlers != null) ? handlers.get(0) : null;
	}

	private Routers routers() {
		Routers routers = this.routers;
		if (routers == null) {
			routers = new Routers(router(EventKind.TASK), router(EventKind.FINISH));
			this.routers = routers;
		}
		return routers;
	}

	private PayloadRouter router(EventKind kind) {
		return new PayloadRouter(kind, this.methods.getOrDefault(kind, List.of()));
	}

	private record Routers(PayloadRouter tasks, PayloadRouter finishes) {

	}

}
