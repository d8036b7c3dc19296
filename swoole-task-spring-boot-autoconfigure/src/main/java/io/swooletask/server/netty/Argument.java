package io.swooletask.server.netty;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;

/**
 * What a handler method parameter is bound to.
 */
enum Argument {

	SERVER, CONNECTION, FD, REACTOR_ID, TASK, TASK_ID, SRC_WORKER_ID, WORKER_ID, PAYLOAD;

	static @Nullable Argument forType(Class<?> type, EventKind kind) {
		if (type == SwooleServer.class) {
			return SERVER;
		}
		if (type == Connection.class) {
			return CONNECTION;
		}
		if (type == Task.class) {
			return TASK;
		}
		if (type == long.class) {
			return (kind == EventKind.TASK || kind == EventKind.FINISH) ? TASK_ID : FD;
		}
		if (type == int.class) {
			return switch (kind) {
				case TASK -> SRC_WORKER_ID;
				case WORKER_START, WORKER_STOP -> WORKER_ID;
				default -> REACTOR_ID;
			};
		}
		return null;
	}

}
