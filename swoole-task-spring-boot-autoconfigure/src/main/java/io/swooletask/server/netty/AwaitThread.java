package io.swooletask.server.netty;

import java.util.concurrent.CountDownLatch;

/**
 * The one non-daemon thread of a running server, which keeps the JVM alive from the start
 * to the stop; the event loops and task workers are daemon threads.
 */
final class AwaitThread {

	private final CountDownLatch stopped = new CountDownLatch(1);

	private AwaitThread() {
	}

	static AwaitThread start() {
		AwaitThread awaitThread = new AwaitThread();
		Thread thread = new Thread(() -> {
			try {
				awaitThread.stopped.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "swoole-server-await");
		thread.setContextClassLoader(AwaitThread.class.getClassLoader());
		thread.setDaemon(false);
		thread.start();
		return awaitThread;
	}

	void release() {
		this.stopped.countDown();
	}

}
