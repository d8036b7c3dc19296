package io.swooletask.autoconfigure;

import io.swooletask.server.ServerStats;
import io.swooletask.server.netty.NettySwooleServer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The server's health: up while it is bound and every task worker has a live thread, with the bound
 * address, open connections and queued tasks as details; down once stopped.
 */
public class SwooleHealthIndicator extends AbstractHealthIndicator {

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
		builder.up()
			.withDetail("address", this.server.address().getHostString() + ":" + this.server.address().getPort())
			.withDetail("connections", stats.connectionNum())
			.withDetail("taskQueue", stats.taskingNum())
			.withDetail("taskWorkers", stats.taskWorkerNum());
	}

}
