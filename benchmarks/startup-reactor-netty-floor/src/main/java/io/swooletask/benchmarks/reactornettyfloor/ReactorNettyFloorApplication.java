package io.swooletask.benchmarks.reactornettyfloor;

import io.netty.handler.codec.LineBasedFrameDecoder;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * An empty Spring Boot application that binds a hand-written Reactor Netty TCP server (an
 * echo of each line) when its context starts, as a Boot web server does: what any Reactor
 * Netty server costs a Boot application to start, against which
 * {@code benchmarks/startup.sh} tells the starter's own cost from the transport's. Its
 * settings come from an {@code application.yml} bound to a properties class, as the
 * sample's do.
 */
@SpringBootApplication
@EnableConfigurationProperties(ReactorNettyFloorApplication.EchoSettings.class)
public class ReactorNettyFloorApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReactorNettyFloorApplication.class, args);
	}

	@Bean
	EchoServer echoServer(EchoSettings settings) {
		return new EchoServer(settings);
	}

	/**
	 * Where the echo server listens.
	 *
	 * @param host the address to bind
	 * @param port the port; 0 picks a free one
	 * @param maxLineLength the longest line
	 */
	@ConfigurationProperties("echo")
	record EchoSettings(String host, int port, int maxLineLength) {

	}

	static class EchoServer implements SmartLifecycle {

		private final EchoSettings settings;

		private volatile DisposableServer server;

		EchoServer(EchoSettings settings) {
			this.settings = settings;
		}

		@Override
		public void start() {
			this.server = TcpServer.create()
				.host(this.settings.host())
				.port(this.settings.port())
				.doOnConnection((connection) -> connection
					.addHandlerLast(new LineBasedFrameDecoder(this.settings.maxLineLength())))
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
