package io.swooletask.handler;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import io.swooletask.server.Connection;
import io.swooletask.server.HandlerDefinitionException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * One annotated method on one bean, with its parameters bound once: calling it fills an argument array
 * from the event and invokes a method handle, with no reflection per call.
 */
public final class HandlerMethod {

	private static final MethodType INVOKER_TYPE = MethodType.methodType(Object.class, Object[].class);

	private final String beanName;

	private final Method method;

	private final Argument[] arguments;

	private final Class<?> payloadType;

	private final MethodHandle invoker;

	private HandlerMethod(String beanName, Method method, Argument[] arguments, Class<?> payloadType,
			MethodHandle invoker) {
		this.beanName = beanName;
		this.method = method;
		this.arguments = arguments;
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
		return new HandlerMethod(beanName, method, arguments, payloadType, bind(bean, invocable));
	}

	private static MethodHandle bind(Object bean, Method invocable) {
		ReflectionUtils.makeAccessible(invocable);
		try {
			return MethodHandles.lookup()
				.unreflect(invocable)
				.bindTo(bean)
				.asSpreader(Object[].class, invocable.getParameterCount())
				.asType(INVOKER_TYPE);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot access handler method " + invocable, ex);
		}
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
	 * @param payload the received data, task data or task result
	 * @return what the method returned
	 * @throws Exception what the method threw
	 */
	public Object invoke(SwooleServer server, Connection connection, Task task, Object payload) throws Exception {
		Object[] args = new Object[this.arguments.length];
		for (int i = 0; i < args.length; i++) {
			args[i] = switch (this.arguments[i]) {
				case SERVER -> server;
				case CONNECTION -> connection;
				case FD -> connection.id();
				case REACTOR_ID -> connection.reactorId();
				case TASK -> task;
				case TASK_ID -> task.id();
				case SRC_WORKER_ID -> task.srcWorkerId();
				case PAYLOAD -> payload;
			};
		}
		try {
			return (Object) this.invoker.invokeExact(args);
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

	@Override
	public String toString() {
		return this.beanName + "." + this.method.getName();
	}

}
