package io.swooletask.benchmarks.starter;

import io.swooletask.server.SwooleServer;
import io.swooletask.server.SwooleServerCustomizer;
import io.swooletask.server.SwooleServerStartedEvent;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Prints {@code READY port=<port> transport=<channel class>} once the server is bound, so
 * that a script can wait for it. The transport is read from the bound channel, not
 * assumed. A worker-only node ({@code swoole.server.listen=false}) binds nothing and
 * publishes no started event; it prints
 * {@code READY port=none transport=none (worker-only)} once the application is ready, its
 * task workers consuming.
 */
@Component
class ReadyAnnouncer implements SwooleServerCustomizer, ApplicationListener<SwooleServerStartedEvent> {

	private volatile String transport = "unknown";

	@Override
	public TcpServer apply(TcpServer server) {
		return server.doOnBound((bound) -> this.transport = bound.channel().getClass().getSimpleName());
	}

	@Override
	public void onApplicationEvent(SwooleServerStartedEvent event) {
		System.out.println("READY port=" + event.getAddress().getPort() + " transport=" + this.transport);
	}

	@EventListener
	void onApplicationReady(ApplicationReadyEvent event) {
		SwooleServer server = event.getApplicationContext().getBeanProvider(SwooleServer.class).getIfAvailable();
		if (server != null && server.port() < 0) {
			System.out.println("READY port=none transport=none (worker-only)");
		}
	}

}
