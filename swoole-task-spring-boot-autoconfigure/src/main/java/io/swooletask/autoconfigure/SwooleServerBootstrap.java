package io.swooletask.autoconfigure;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.SwooleServerStartedEvent;
import io.swooletask.server.netty.NettySwooleServer;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationEventPublisherAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Binds the server's TCP listener when the application context starts, publishing a
 * {@link SwooleServerStartedEvent}, and stops it gracefully when the context closes,
 * announcing {@link ReadinessState#REFUSING_TRAFFIC} first: in the same phase as a web
 * server's graceful shutdown, alongside it. The task pool it hands work to starts before
 * it and stops after it ({@link SwooleTaskPoolBootstrap}). Keep
 * {@code spring.lifecycle.timeout-per-shutdown-phase} at least
 * {@code swoole.server.shutdown-timeout}.
 */
public class SwooleServerBootstrap implements ApplicationEventPublisherAware, SmartLifecycle {

	/** The phase, shared with Spring Boot's web server graceful shutdown. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

	private final NettySwooleServer server;

	private @Nullable ApplicationEventPublisher eventPublisher;

	private volatile boolean running;

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
		this.running = true;
		if (address != null) {
			Assert.state(this.eventPublisher != null, "No ApplicationEventPublisher was set");
			this.eventPublisher.publishEvent(new SwooleServerStartedEvent(this.server, address));
		}
	}

	@Override
	public void stop() {
		refuseTraffic();
		this.server.stopListening();
	}

	@Override
	public void stop(Runnable callback) {
		refuseTraffic();
		SwooleTaskPoolBootstrap.inThreadOfItsOwn("swoole-shutdown", this.server::stopListening, callback);
	}

	/**
	 * Tells readiness probes that the application refuses traffic, right before the
	 * drain. Spring Boot says so too when a {@code SpringApplication}'s context closes;
	 * this covers any other context.
	 */
	private void refuseTraffic() {
		this.running = false;
		Assert.state(this.eventPublisher != null, "No ApplicationEventPublisher was set");
		AvailabilityChangeEvent.publish(this.eventPublisher, this.server, ReadinessState.REFUSING_TRAFFIC);
	}

	@Override
	public boolean isRunning() {
		return this.running;
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
