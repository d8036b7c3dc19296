package io.swooletask.server.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import reactor.core.scheduler.Schedulers;

/**
 * What the calling thread may do when a task is dispatched or awaited on it: every
 * decision on "may this thread wait?" is made here.
 */
enum ThreadKind {

	/**
	 * The event loop of the task's origin: it must neither wait nor drop what it was
	 * handed.
	 */
	ORIGIN_LOOP,

	/**
	 * A task worker, here or on a worker node: waiting on its own pool could deadlock it.
	 */
	TASK_WORKER,

	/**
	 * Another thread that must not block: a Netty event loop, or a thread Reactor marks
	 * non-blocking.
	 */
	NON_BLOCKING,

	/** Any other thread: it may wait. */
	MAY_BLOCK;

	/**
	 * The kind of the calling thread, for a task from an origin.
	 * @param origin the origin of the task
	 * @return the kind
	 */
	static ThreadKind current(TaskOrigin origin) {
		if (origin.executor() instanceof EventExecutor loop && loop.inEventLoop()) {
			return ORIGIN_LOOP;
		}
		return current();
	}

	/**
	 * The kind of the calling thread; an event loop of the server is
	 * {@link #NON_BLOCKING}.
	 * @return the kind
	 */
	static ThreadKind current() {
		if (TaskInvoker.current() != null) {
			return TASK_WORKER;
		}
		if (ThreadExecutorMap.currentExecutor() != null || Schedulers.isInNonBlockingThread()) {
			return NON_BLOCKING;
		}
		return MAY_BLOCK;
	}

	/**
	 * Refuses a blocking wait for task results on a thread where it could stall or
	 * deadlock.
	 * @param method the name of the waiting method, for the message
	 * @throws IllegalStateException on an event loop, a non-blocking thread or a task
	 * worker
	 */
	static void assertMayBlock(String method) {
		ThreadKind kind = current();
		if (kind == NON_BLOCKING) {
			throw new IllegalStateException(method + " was called on event loop " + Thread.currentThread().getName()
					+ ", a thread that must not block: waiting there would stall what runs on it, on an event loop"
					+ " of this server every connection of that loop and the very finish event it waits for. Use"
					+ " taskAsync, or task with a callback, instead.");
		}
		if (kind == TASK_WORKER) {
			throw new IllegalStateException(method + " was called inside a task on " + Thread.currentThread().getName()
					+ ": waiting there holds a task worker that the awaited task may need, which can deadlock the"
					+ " pool. Use task with a callback, or taskAsync, instead.");
		}
	}

}
