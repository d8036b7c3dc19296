package io.swooletask.server.netty;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.HandlerDefinitionException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * One annotated method on one bean, bound once: its parameters are mapped onto the four
 * things an event carries (server, connection, task, payload) by a method handle adapted
 * at start-up, so that a call allocates nothing and uses no reflection.
 */
final class HandlerMethod {

	private static final MethodType EVENT_TYPE = MethodType.methodType(Object.class, SwooleServer.class,
			Connection.class, Task.class, Object.class);

	private static final MethodHandle CONNECTION_ID;

	private static final MethodHandle CONNECTION_REACTOR_ID;

	private static final MethodHandle TASK_ID;

	private static final MethodHandle TASK_SRC_WORKER_ID;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			CONNECTION_ID = lookup.findVirtual(Connection.class, "id", MethodType.methodType(long.class));
			CONNECTION_REACTOR_ID = lookup.findVirtual(Connection.class, "reactorId", MethodType.methodType(int.class));
			TASK_ID = lookup.findVirtual(Task.class, "id", MethodType.methodType(long.class));
			TASK_SRC_WORKER_ID = lookup.findVirtual(Task.class, "srcWorkerId", MethodType.methodType(int.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String beanName;

	private final Method method;

	private final Class<?> payloadType;

	private final MethodHandle invoker;

	private HandlerMethod(String beanName, Method method, Class<?> payloadType, MethodHandle invoker) {
		this.beanName = beanName;
		this.method = method;
		this.payloadType = payloadType;
		this.invoker = invoker;
	}

	static HandlerMethod of(EventKind kind, String beanName, Object bean, Method method, Method invocable) {
		Class<?>[] types = method.getParameterTypes();
		Argument[] arguments = new Argument[types.length];
		List<Argument> seen = new ArrayList<>();
		Class<?> payloadType = Object.class;
		for (int i = 0; i < types.length; i++) {
			Argument argument = kind.argumentFor(types[i]);
			if (argument == null || seen.contains(argument)) {
				throw new HandlerDefinitionException(
						describe(kind, beanName, method) + " has a parameter it cannot bind: "
								+ types[i].getSimpleName() + " (parameter " + (i + 1) + ").",
						"Declare only these parameters, each at most once, in any order: " + kind.parameterHelp()
								+ ".");
			}
			seen.add(argument);
			arguments[i] = argument;
			if (argument == Argument.PAYLOAD) {
				payloadType = ClassUtils.resolvePrimitiveIfNecessary(types[i]);
			}
		}
		return new HandlerMethod(beanName, method, payloadType, bind(bean, invocable, arguments));
	}

	/**
	 * Adapts the method to {@code (SwooleServer, Connection, Task, Object) -> Object}:
	 * each parameter takes one of those four, through a getter for the ids, in the order
	 * the method declares them.
	 */
	private static MethodHandle bind(Object bean, Method invocable, Argument[] arguments) {
		ReflectionUtils.makeAccessible(invocable);
		MethodHandle handle;
		try {
			handle = MethodHandles.lookup().unreflect(invocable).bindTo(bean);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot access handler method " + invocable, ex);
		}
		@Nullable MethodHandle[] filters = new MethodHandle[arguments.length];
		int[] sources = new int[arguments.length];
		for (int i = 0; i < arguments.length; i++) {
			filters[i] = switch (arguments[i]) {
				case FD -> CONNECTION_ID;
				case REACTOR_ID -> CONNECTION_REACTOR_ID;
				case TASK_ID -> TASK_ID;
				case SRC_WORKER_ID -> TASK_SRC_WORKER_ID;
				default -> null;
			};
			sources[i] = switch (arguments[i]) {
				case SERVER -> 0;
				case CONNECTION, FD, REACTOR_ID -> 1;
				case TASK, TASK_ID, SRC_WORKER_ID -> 2;
				case PAYLOAD, WORKER_ID -> 3;
			};
		}
		MethodHandle filtered = MethodHandles.filterArguments(handle, 0, filters);
		MethodType sourceTypes = MethodType.methodType(filtered.type().returnType(), SwooleServer.class,
				Connection.class, Task.class, Object.class);
		MethodHandle typed = filtered.asType(filtered.type().changeReturnType(Object.class));
		MethodType widened = MethodType.methodType(Object.class, typed.type().parameterArray());
		for (int i = 0; i < arguments.length; i++) {
			widened = widened.changeParameterType(i, sourceTypes.parameterType(sources[i]));
		}
		return MethodHandles.permuteArguments(typed.asType(widened), EVENT_TYPE, sources);
	}

	static String describe(EventKind kind, String beanName, Method method) {
		return kind.annotationName() + " method '" + method.getName() + "' of bean '" + beanName + "' ("
				+ method.getDeclaringClass().getName() + ")";
	}

	/**
	 * Invokes the method with the arguments it declared taken from the event.
	 * @param server the server
	 * @param connection the connection, if the event has one
	 * @param task the task, if the event has one
	 * @param payload the received data, task data or task result; for a task worker's
	 * start or stop, its id
	 * @return what the method returned, {@code null} for {@code void}
	 * @throws Exception what the method threw
	 */
	public @Nullable Object invoke(SwooleServer server, @Nullable Connection connection, @Nullable Task task,
			@Nullable Object payload) throws Exception {
		try {
			return (Object) this.invoker.invokeExact(server, connection, task, payload);
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The type of the data this method takes: {@code Object} if it declares none.
	 * @return the payload type
	 */
	public Class<?> payloadType() {
		return this.payloadType;
	}

	/**
	 * The type the method declares it returns, primitives boxed.
	 * @return the return type, {@code Void} for {@code void}
	 */
	public Class<?> returnType() {
		Class<?> type = this.method.getReturnType();
		return (type != void.class) ? ClassUtils.resolvePrimitiveIfNecessary(type) : Void.class;
	}

	@Override
	public String toString() {
		return this.beanName + "." + this.method.getName();
	}

}
