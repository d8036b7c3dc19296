package io.swooletask.server;

import java.net.Socket;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.channel.Channel;
import io.swooletask.support.ReplyingHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import io.swooletask.support.TlsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients of the TLS port that never complete a handshake: a health check that connects
 * and closes is let go at once and quietly, a plain-text client costs one WARN line
 * without its bytes.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsHandshakeIntegrationTests {

	/**
	 * Half Reactor Netty's 10 s handshake timeout, after which the server would close the
	 * connection anyway: a loaded machine has 5 s to close it, and a server that waited
	 * for the handshake timeout fails the test unless the test itself stalled 5 s.
	 */
	private static final Duration AT_ONCE = Duration.ofSeconds(5);

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withBean(ReplyingHandlers.class)
		.withBean(ChannelRecorder.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.open-eof-split=true",
				"spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
				"swoole.server.ssl.bundle=server");

	@Test
	void probesThatConnectAndCloseAreClosedAtOnceWithoutAWarning(CapturedOutput output) {
		this.runner.run((context) -> {
			for (int i = 0; i < 3; i++) {
				new Socket("127.0.0.1", port(context)).close();
			}
			ChannelRecorder channels = context.getBean(ChannelRecorder.class);
			await().atMost(AT_ONCE).until(() -> channels.allGone(3));
			assertThat(output).doesNotContainPattern("WARN .*(TLS|handshake)");
			try (TlsTestClient client = new TlsTestClient(port(context))) {
				assertThat(client.request("after\r\n")).isEqualTo("got 5:after");
			}
		});
	}

	@Test
	void clientThatEndsItsOutputBeforeTheHandshakeIsClosedAtOnce() {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(port(context), AT_ONCE)) {
				client.socket().shutdownOutput();
				assertThat(client.isClosedByServer()).isTrue();
			}
		});
	}

	@Test
	void plainTextOnTheTlsPortLogsOneWarningWithoutItsBytes(CapturedOutput output) {
		this.runner.run((context) -> {
			int clientPort;
			try (TestClient plain = TestClient.connect(port(context))) {
				clientPort = plain.socket().getLocalPort();
				plain.send("hello\r\n");
				assertThat(plain.isClosedByServer()).isTrue();
			}
			ChannelRecorder channels = context.getBean(ChannelRecorder.class);
			await().until(() -> channels.allGone(1));
			assertThat(count(output, "WARN .*/127.0.0.1:" + clientPort + "\\D")).isOne();
			assertThat(output).containsPattern("WARN .*Closing connection from /127.0.0.1:" + clientPort
					+ ": not a TLS record \\(plain text on a TLS port\\?\\)");
			assertThat(output).doesNotContainPattern("WARN .*68656c6c6f");
		});
	}

	@Test
	void malformedHandshakeLogsOneWarning(CapturedOutput output) {
		this.runner.run((context) -> {
			int clientPort;
			try (TestClient client = TestClient.connect(port(context))) {
				clientPort = client.socket().getLocalPort();
				client.write(new byte[] { 0x16, 0x03, 0x03, 0x00, 0x04, 0x63, 0x00, 0x00, 0x00 });
				assertThat(client.isClosedByServer()).isTrue();
			}
			ChannelRecorder channels = context.getBean(ChannelRecorder.class);
			await().until(() -> channels.allGone(1));
			assertThat(count(output, "WARN .*/127.0.0.1:" + clientPort + "\\D")).isOne();
			assertThat(output)
				.containsPattern("WARN .*Closing connection from /127.0.0.1:" + clientPort + ": TLS handshake failed");
		});
	}

	@Test
	void aClientHelloTooLongForTheSniHandlerIsATlsFailureNotAnOversizedMessage(CapturedOutput output) {
		this.runner.run((context) -> {
			int clientPort;
			try (TestClient client = TestClient.connect(port(context))) {
				clientPort = client.socket().getLocalPort();
				// a handshake record whose ClientHello announces 65537 bytes
				client.write(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x01, 0x00, 0x01 });
				assertThat(client.isClosedByServer()).isTrue();
			}
			ChannelRecorder channels = context.getBean(ChannelRecorder.class);
			await().until(() -> channels.allGone(1));
			assertThat(count(output, "WARN .*/127.0.0.1:" + clientPort + "\\D")).isOne();
			assertThat(output)
				.containsPattern("WARN .*Closing connection from /127.0.0.1:" + clientPort
						+ ": TLS handshake failed \\(the client's hello is too long")
				.doesNotContain("swoole.server.package-max-length");
			assertThat(context.getBean(SwooleServer.class).stats().oversizeFrameCount()).isZero();
		});
	}

	private static int count(CapturedOutput output, String regex) {
		Matcher matcher = Pattern.compile(regex).matcher(output.getAll());
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private static int port(AssertableApplicationContext context) {
		return context.getBean(SwooleServer.class).port();
	}

	/**
	 * Records the server's side of every connection, TLS handshake or not.
	 */
	static class ChannelRecorder implements SwooleServerCustomizer {

		private final Queue<Channel> channels = new ConcurrentLinkedQueue<>();

		@Override
		public TcpServer apply(TcpServer server) {
			return server.doOnChannelInit((observer, channel, remoteAddress) -> this.channels.add(channel));
		}

		/**
		 * Whether that many connections came and all are closed. A channel is
		 * deregistered after its channelInactive has gone through the pipeline, so
		 * whatever that logs is written by then.
		 */
		boolean allGone(int count) {
			return this.channels.size() == count && this.channels.stream().noneMatch(Channel::isRegistered);
		}

	}

}
