package io.swooletask.server.netty;

import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnConnect;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.annotation.OnWorkerStart;
import io.swooletask.annotation.OnWorkerStop;

/**
 * The handler events, with the parameters each may bind.
 */
enum EventKind {

	CONNECT(OnConnect.class, EnumSet.of(Argument.SERVER, Argument.CONNECTION, Argument.FD, Argument.REACTOR_ID),
			"SwooleServer, Connection, long fd, int reactorId"),

	RECEIVE(OnReceive.class,
			EnumSet.of(Argument.SERVER, Argument.CONNECTION, Argument.FD, Argument.REACTOR_ID, Argument.PAYLOAD),
			"SwooleServer, Connection, long fd, int reactorId, and the data as String, byte[] or ByteBuffer"),

	CLOSE(OnClose.class, EnumSet.of(Argument.SERVER, Argument.CONNECTION, Argument.FD, Argument.REACTOR_ID),
			"SwooleServer, Connection, long fd, int reactorId"),

	TASK(OnTask.class,
			EnumSet.of(Argument.SERVER, Argument.TASK, Argument.TASK_ID, Argument.SRC_WORKER_ID, Argument.PAYLOAD),
			"SwooleServer, Task, long taskId, int srcWorkerId, and the data (one parameter of any other type)"),

	FINISH(OnFinish.class,
			EnumSet.of(Argument.SERVER, Argument.TASK, Argument.TASK_ID, Argument.CONNECTION, Argument.PAYLOAD),
			"SwooleServer, Task, long taskId, Connection, and the result (one parameter of any other type)"),

	WORKER_START(OnWorkerStart.class, EnumSet.of(Argument.SERVER, Argument.WORKER_ID), "SwooleServer, int workerId"),

	WORKER_STOP(OnWorkerStop.class, EnumSet.of(Argument.SERVER, Argument.WORKER_ID), "SwooleServer, int workerId");

	private static final Set<Class<?>> RECEIVE_PAYLOAD_TYPES = Set.of(String.class, byte[].class, ByteBuffer.class);

	private final Class<? extends Annotation> annotation;

	private final Set<Argument> arguments;

	private final String parameterHelp;

	EventKind(Class<? extends Annotation> annotation, Set<Argument> arguments, String parameterHelp) {
		this.annotation = annotation;
		this.arguments = arguments;
		this.parameterHelp = parameterHelp;
	}

	Class<? extends Annotation> annotation() {
		return this.annotation;
	}

	String annotationName() {
		return "@" + this.annotation.getSimpleName();
	}

	String parameterHelp() {
		return this.parameterHelp;
	}

	boolean binds(Argument argument) {
		return this.arguments.contains(argument);
	}

	/**
	 * Which argument a parameter of this type binds to for this event, or {@code null} if
	 * none.
	 */
	@Nullable Argument argumentFor(Class<?> type) {
		Argument argument = Argument.forType(type, this);
		if (argument != null) {
			return binds(argument) ? argument : null;
		}
		if (!binds(Argument.PAYLOAD)) {
			return null;
		}
		if (this == RECEIVE && !RECEIVE_PAYLOAD_TYPES.contains(type)) {
			return null;
		}
		return Argument.PAYLOAD;
	}

	/**
	 * Whether handlers of this event are routed by the type of their payload.
	 */
	boolean isRoutedByPayload() {
		return this == TASK || this == FINISH;
	}

}
