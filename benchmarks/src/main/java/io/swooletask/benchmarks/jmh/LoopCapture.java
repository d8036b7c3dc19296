package io.swooletask.benchmarks.jmh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.netty.channel.EventLoop;
import io.swooletask.server.SwooleServerCustomizer;
import reactor.netty.tcp.TcpServer;

/**
 * Hands out the server's event loop that serves the first connection, so a benchmark can
 * run code on one of the server's own loops with {@code loop.submit(...)}.
 */
class LoopCapture implements SwooleServerCustomizer {

	private final CompletableFuture<EventLoop> firstLoop = new CompletableFuture<>();

	@Override
	public TcpServer apply(TcpServer server) {
		return server.doOnConnection((connection) -> this.firstLoop.complete(connection.channel().eventLoop()));
	}

	EventLoop await() throws InterruptedException, ExecutionException, TimeoutException {
		return this.firstLoop.get(10, TimeUnit.SECONDS);
	}

}
