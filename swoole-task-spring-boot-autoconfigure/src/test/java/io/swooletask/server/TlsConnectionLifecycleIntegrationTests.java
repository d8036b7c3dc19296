package io.swooletask.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TlsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The life of a TLS connection: its end of input, the read gate, the heartbeat and
 * {@code max-conn}, over real TLS sockets.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsConnectionLifecycleIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.open-eof-split=true");

	/**
	 * A TLS 1.3 client that shuts its output down sends {@code close_notify} before its
	 * FIN: that ends its input, and it still gets the reply to the task it started, then
	 * is closed.
	 */
	@Test
	void clientThatHalfClosesGetsItsReplyThenIsClosed() {
		tlsRunner().withBean(Slow.class).withBean(CloseNotifyWatcher.class).run((context) -> {
			Slow slow = context.getBean(Slow.class);
			try (SSLSocket socket = TlsTestClient.socket(context.getBean(SwooleServer.class).port(), "TLSv1.3")) {
				socket.getOutputStream().write("one\r\n".getBytes(StandardCharsets.US_ASCII));
				socket.getOutputStream().flush();
				assertThat(slow.started.await(10, TimeUnit.SECONDS)).isTrue();
				socket.shutdownOutput();
				assertThat(context.getBean(CloseNotifyWatcher.class).seen.await(10, TimeUnit.SECONDS)).isTrue();
				slow.release.countDown();
				BufferedReader reader = new BufferedReader(
						new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
				assertThat(reader.readLine()).isEqualTo("one -> OK");
				assertThat(reader.readLine()).isNull();
			}
			finally {
				slow.release.countDown();
			}
		});
	}

	/**
	 * A client accepted while reading is paused: its handshake completes, it is not read
	 * past the queue bound, and once reading resumes every line is answered.
	 */
	@Test
	void connectionAcceptedWhileReadingIsPausedIsReadOnceReadingResumes() {
		tlsRunner().withBean(PausedAcceptIntegrationTests.HoldingHandlers.class)
			.withPropertyValues("swoole.server.worker-num=2", "swoole.server.task-queue-capacity=100",
					"swoole.server.shutdown-timeout=5s")
			.run((context) -> {
				io.swooletask.server.netty.NettySwooleServer server = context
					.getBean(io.swooletask.server.netty.NettySwooleServer.class);
				PausedAcceptIntegrationTests.HoldingHandlers handlers = context
					.getBean(PausedAcceptIntegrationTests.HoldingHandlers.class);
				try (SSLSocket holding = tlsConnect(server.port())) {
					StringBuilder held = new StringBuilder();
					for (int i = 0; i < 150; i++) {
						held.append("hold-").append(i).append("\r\n");
					}
					holding.getOutputStream().write(held.toString().getBytes(StandardCharsets.US_ASCII));
					holding.getOutputStream().flush();
					await().atMost(Duration.ofSeconds(30)).until(() -> server.readingPausedSince() != null);
					try (SSLSocket accepted = tlsConnect(server.port())) {
						StringBuilder lines = new StringBuilder();
						for (int i = 0; i < 500; i++) {
							lines.append("line-").append(i).append("\r\n");
						}
						accepted.getOutputStream().write(lines.toString().getBytes(StandardCharsets.US_ASCII));
						accepted.getOutputStream().flush();
						await().during(Duration.ofMillis(500))
							.atMost(Duration.ofSeconds(5))
							.untilAsserted(() -> assertThat(server.stats().taskQueuePeak()).isLessThanOrEqualTo(102));
						handlers.release.countDown();
						BufferedReader held2 = new BufferedReader(
								new InputStreamReader(holding.getInputStream(), StandardCharsets.US_ASCII));
						for (int i = 0; i < 150; i++) {
							assertThat(held2.readLine()).endsWith(" -> OK");
						}
						BufferedReader reader = new BufferedReader(
								new InputStreamReader(accepted.getInputStream(), StandardCharsets.US_ASCII));
						for (int i = 0; i < 500; i++) {
							assertThat(reader.readLine()).isEqualTo("line-" + i + " -> OK");
						}
					}
				}
				finally {
					handlers.release.countDown();
				}
			});
	}

	/**
	 * A client that completes its handshake and never sends is closed by the heartbeat,
	 * and {@code @OnClose} fires.
	 */
	@Test
	void clientThatNeverSendsIsClosedByTheHeartbeat(CapturedOutput output) {
		tlsRunner().withBean(ConnectionMessagesIntegrationTests.CloseLogger.class)
			.withPropertyValues("swoole.server.task-worker-num=0", "swoole.server.heartbeat-idle-time=1s")
			.run((context) -> {
				ConnectionMessagesIntegrationTests.CloseLogger logger = context
					.getBean(ConnectionMessagesIntegrationTests.CloseLogger.class);
				try (SSLSocket socket = tlsConnect(context.getBean(SwooleServer.class).port())) {
					assertThat(socket.getInputStream().read()).isEqualTo(-1);
					await().atMost(Duration.ofSeconds(5)).until(() -> !logger.remotes.isEmpty());
					assertThat(logger.remotes.peek()).isEqualTo("127.0.0.1:" + socket.getLocalPort());
					assertThat(context.getBean(SwooleServer.class).stats().connectionNum()).isZero();
				}
				assertThat(output).contains("heartbeat-idle-time");
			});
	}

	/**
	 * Past max-conn a client is refused after its handshake, and the count lets a later
	 * client in once the first leaves.
	 */
	@Test
	void clientPastMaxConnIsRefusedAndTheSlotIsFreedLater() {
		tlsRunner().withBean(ConnectionMessagesIntegrationTests.Echo.class)
			.withPropertyValues("swoole.server.task-worker-num=0", "swoole.server.max-conn=1")
			.run((context) -> {
				int port = context.getBean(SwooleServer.class).port();
				try (SSLSocket first = tlsConnect(port)) {
					first.getOutputStream().write("a\r\n".getBytes(StandardCharsets.US_ASCII));
					BufferedReader reader = new BufferedReader(
							new InputStreamReader(first.getInputStream(), StandardCharsets.US_ASCII));
					assertThat(reader.readLine()).isEqualTo("a -> OK");
					try (SSLSocket second = tlsConnect(port)) {
						assertThat(second.getInputStream().read()).isEqualTo(-1);
					}
				}
				await().atMost(Duration.ofSeconds(5))
					.until(() -> context.getBean(SwooleServer.class).stats().connectionNum() == 0);
				try (SSLSocket third = tlsConnect(port)) {
					third.getOutputStream().write("c\r\n".getBytes(StandardCharsets.US_ASCII));
					BufferedReader reader = new BufferedReader(
							new InputStreamReader(third.getInputStream(), StandardCharsets.US_ASCII));
					assertThat(reader.readLine()).isEqualTo("c -> OK");
				}
			});
	}

	private ApplicationContextRunner tlsRunner() {
		return this.runner.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
					"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
					"swoole.server.ssl.bundle=server");
	}

	private static SSLSocket tlsConnect(int port) {
		return TlsTestClient.socket(port, "TLS");
	}

	static class Slow {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String task(String data) throws InterruptedException {
			this.started.countDown();
			this.release.await(10, TimeUnit.SECONDS);
			return data + " -> OK";
		}

		@OnFinish
		void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

	/**
	 * Counts down once the server has seen a client's {@code close_notify}, and passes it
	 * on.
	 */
	static class CloseNotifyWatcher implements SwooleServerCustomizer {

		final CountDownLatch seen = new CountDownLatch(1);

		@Override
		public TcpServer apply(TcpServer server) {
			return server.doOnChannelInit((observer, channel, address) -> channel.pipeline()
				.addBefore("swoole.InputShutdownMarker", "test.closeNotify", new ChannelInboundHandlerAdapter() {

					@Override
					public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
						if (event instanceof SslCloseCompletionEvent) {
							CloseNotifyWatcher.this.seen.countDown();
						}
						ctx.fireUserEventTriggered(event);
					}

				}));
		}

	}

}
