package io.swooletask.autoconfigure;

import io.netty.buffer.ByteBufAllocator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;

/**
 * Loads and initializes, on Spring Boot's background pre-initialization thread while the
 * application context is prepared, what binding the server needs first: Netty's buffer
 * allocator, Reactor's publishers and Reactor Netty's TCP server (not the native
 * transport, which the server uses only when {@code native-transport} is on). It starts
 * no thread and allocates no buffer. A training run that stops on refresh
 * ({@code -Dspring.context.exit=onRefresh}, before the server binds) thereby puts these
 * classes in its CDS archive or AOT cache.
 */
class SwooleServerBackgroundPreinitializer implements BackgroundPreinitializer {

	@Override
	public void preinitialize() {
		ByteBufAllocator.DEFAULT.isDirectBufferPooled();
		Mono.never();
		Flux.never();
		TcpServer.create();
	}

}
