package io.swooletask.task;

import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * A task worker's platform thread: a {@link FastThreadLocalThread}, for the task
 * runtime's thread locals, that says it may block, as waiting is what a task worker is
 * for. Netty's own tools and BlockHound's Netty integration otherwise take every such
 * thread for an event loop.
 */
final class BlockingWorkerThread extends FastThreadLocalThread {

	BlockingWorkerThread(Runnable body, String name) {
		super(body, name);
	}

	@Override
	public boolean permitBlockingCalls() {
		return true;
	}

}
