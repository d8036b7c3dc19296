package io.swooletask.benchmarks.starter;

import io.swooletask.server.SwooleServerCustomizer;
import io.swooletask.server.SwooleServerStartedEvent;
import reactor.netty.tcp.TcpServer;

import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Prints {@code READY port=<port> transport=<channel class>} once the server is bound, so that a script can
 * wait for it. The transport is read from the bound channel, not assumed.
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

}
