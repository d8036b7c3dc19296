package io.swooletask.benchmarks.reactornettyfloor;

import io.netty.handler.codec.LineBasedFrameDecoder;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * An empty Spring Boot application that binds a hand-written Reactor Netty TCP server (an
 * echo of each line) when its context starts, as a Boot web server does: what any Reactor
 * Netty server costs a Boot application to start, against which
 * {@code benchmarks/startup.sh} tells the starter's own cost from the transport's.
 */
@SpringBootApplication
public class ReactorNettyFloorApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReactorNettyFloorApplication.class, args);
	}

	@Bean
	EchoServer echoServer() {
		return new EchoServer();
	}

	static class EchoServer implements SmartLifecycle {

		private volatile DisposableServer server;

		@Override
		public void start() {
			this.server = TcpServer.create()
				.host("127.0.0.1")
				.port(0)
				.doOnConnection((connection) -> connection.addHandlerLast(new LineBasedFrameDecoder(8192)))
				.handle((in, out) -> out.sendString(in.receive().asString().map((line) -> line + " -> OK\n")))
				.bindNow();
		}

		@Override
		public void stop() {
			this.server.disposeNow();
			this.server = null;
		}

		@Override
		public boolean isRunning() {
			return this.server != null;
		}

	}

}
