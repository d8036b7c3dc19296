package io.swooletask.autoconfigure;

import io.swooletask.server.ServerStats;
import io.swooletask.server.SwooleServer;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code swoole} actuator endpoint: the server's {@link SwooleServer#stats()}.
 */
@Endpoint(id = "swoole")
public class SwooleEndpoint {

	private final SwooleServer server;

	public SwooleEndpoint(SwooleServer server) {
		this.server = server;
	}

	@ReadOperation
	public ServerStats stats() {
		return this.server.stats();
	}

}
