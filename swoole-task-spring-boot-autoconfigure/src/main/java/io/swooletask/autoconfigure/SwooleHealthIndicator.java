package io.swooletask.autoconfigure;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;

import io.swooletask.server.ServerStats;
import io.swooletask.server.netty.NettySwooleServer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The server's health: up while it runs, bound unless {@code listen} is off, with every
 * task worker alive (with the amqp transport, its listener containers running; the broker
 * has a health of its own, {@link SwooleBrokerHealthIndicator}), with the bound address,
 * open connections, queued tasks and the transport's state as details, and while reading
 * is paused by backpressure, how many connections and since when; down once stopped.
 */
class SwooleHealthIndicator extends AbstractHealthIndicator {

	private final NettySwooleServer server;

	public SwooleHealthIndicator(NettySwooleServer server) {
		super("Swoole server health check failed");
		this.server = server;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (!this.server.isHealthy()) {
			builder.down().withDetail("running", this.server.isRunning());
			return;
		}
		ServerStats stats = this.server.stats();
		InetSocketAddress address = this.server.address();
		builder.up()
			.withDetail("address",
					(address != null) ? address.getHostString() + ":" + address.getPort() : "not listening")
			.withDetail("connections", stats.connectionNum())
			.withDetail("taskQueue", stats.taskingNum())
			.withDetail("taskWorkers", stats.taskWorkerNum())
			.withDetails(this.server.taskBackendDetails());
		Instant pausedSince = this.server.readingPausedSince();
		if (pausedSince != null) {
			builder.withDetail("readingPaused",
					Map.of("connections", this.server.pausedConnections(), "since", pausedSince.toString()));
		}
	}

}
