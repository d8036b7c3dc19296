package io.swooletask.autoconfigure;

import io.swooletask.server.netty.NettySwooleServer;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the server's task pool, its task workers and event loops, before a web server
 * takes its first request, and stops it after the web server has drained and stopped, so
 * that a request at either edge of the web server's life can hand work to it. The TCP
 * listener has a lifecycle of its own, {@link SwooleServerBootstrap}, in the web server's
 * graceful phase. The pool's stop takes what the listener's left of
 * {@code swoole.server.shutdown-timeout}, or all of it when there is no listener.
 */
public class SwooleTaskPoolBootstrap implements SmartLifecycle {

	/**
	 * The phase: before the web server starts ({@code DEFAULT_PHASE - 2048}), after it
	 * stops.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 3072;

	private final NettySwooleServer server;

	public SwooleTaskPoolBootstrap(NettySwooleServer server) {
		this.server = server;
	}

	@Override
	public void start() {
		this.server.startTasks();
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	@Override
	public void stop(Runnable callback) {
		inThreadOfItsOwn("swoole-task-pool-shutdown", this.server::stop, callback);
	}

	/**
	 * Runs a stop on a thread of its own, telling the lifecycle processor when it is
	 * over, so that the other lifecycles of its phase stop meanwhile.
	 */
	static void inThreadOfItsOwn(String name, Runnable stop, Runnable callback) {
		new Thread(() -> {
			try {
				stop.run();
			}
			finally {
				callback.run();
			}
		}, name).start();
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
