package io.swooletask.autoconfigure;

import java.net.InetSocketAddress;

import io.swooletask.server.SwooleServerStartedEvent;
import io.swooletask.server.netty.NettySwooleServer;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;

/**
 * Binds the server when the application context starts, publishing a {@link SwooleServerStartedEvent},
 * and shuts it down gracefully when the context closes. It stops in the same phase as a web server's
 * graceful shutdown, alongside it and before the beans that tasks may still use; keep
 * {@code spring.lifecycle.timeout-per-shutdown-phase} at least {@code swoole.server.shutdown-timeout}.
 */
public class SwooleServerBootstrap implements ApplicationEventPublisherAware, SmartLifecycle {

	/** The phase, shared with Spring Boot's web server graceful shutdown. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private final NettySwooleServer server;

	private ApplicationEventPublisher eventPublisher;

	public SwooleServerBootstrap(NettySwooleServer server) {
		this.server = server;
	}

	@Override
	public void setApplicationEventPublisher(ApplicationEventPublisher applicationEventPublisher) {
		this.eventPublisher = applicationEventPublisher;
	}

	@Override
	public void start() {
		InetSocketAddress address = this.server.start();
		if (address != null) {
			this.eventPublisher.publishEvent(new SwooleServerStartedEvent(this.server, address));
		}
	}

	@Override
	public void stop() {
		this.server.stop();
	}

	@Override
	public void stop(Runnable callback) {
		Thread shutdown = new Thread(() -> {
			try {
				this.server.stop();
			}
			finally {
				callback.run();
			}
		}, "swoole-shutdown");
		shutdown.start();
	}

	@Override
	public boolean isRunning() {
		return this.server.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
