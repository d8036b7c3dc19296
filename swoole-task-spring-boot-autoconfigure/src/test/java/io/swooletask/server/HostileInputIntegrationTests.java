package io.swooletask.server;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.swooletask.support.Frames;
import io.swooletask.support.ReplyingHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import io.swooletask.support.TlsTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that are slow, wrong or hostile cost their own connection and nothing else: in
 * every test a well-behaved bystander on another connection is served before, during and
 * after.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withBean(ReplyingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1");

	private final ApplicationContextRunner eof = this.runner.withPropertyValues("swoole.server.open-eof-split=true",
			"swoole.server.package-max-length=1024");

	private final ApplicationContextRunner length = this.runner.withPropertyValues(
			"swoole.server.open-length-check=true", "swoole.server.package-length-type=N",
			"swoole.server.package-body-offset=4", "swoole.server.package-max-length=1024");

	@ParameterizedTest
	@ValueSource(strings = { "raw", "eof", "length" })
	void randomBytesCostOnlyTheirConnection(String mode) {
		ApplicationContextRunner runner = switch (mode) {
			case "eof" -> this.eof;
			case "length" -> this.length;
			default -> this.runner;
		};
		runner.run((context) -> {
			Bystander bystander = new Bystander(context, mode);
			byte[] garbage = new byte[64 * 1024];
			new Random(42).nextBytes(garbage);
			try (TestClient attacker = TestClient.connect(port(context))) {
				attacker.write(garbage);
				bystander.assertServed();
				attacker.socket().shutdownOutput();
				attacker.isClosedByServer();
			}
			bystander.assertServed();
			bystander.close();
		});
	}

	@Test
	void lengthHeaderClaiming4GbClosesTheConnection(CapturedOutput output) {
		this.length.run((context) -> {
			Bystander bystander = new Bystander(context, "length");
			try (TestClient attacker = TestClient.connect(port(context))) {
				attacker.write(Frames.header("N", 0xFFFFFFFFL, new byte[16]));
				assertThat(attacker.isClosedByServer()).isTrue();
			}
			bystander.assertServed();
			assertThat(server(context).stats().oversizeFrameCount()).isOne();
			assertThat(output).contains("a message exceeds 1024 bytes (swoole.server.package-max-length)");
			bystander.close();
		});
	}

	@ParameterizedTest
	@ValueSource(longs = { -5, 0x80000000L })
	void negativeSignedLengthClosesTheConnection(long length) {
		this.length.withPropertyValues("swoole.server.package-length-type=l").run((context) -> {
			Bystander bystander = new Bystander(context, "length-l");
			try (TestClient attacker = TestClient.connect(port(context))) {
				attacker.write(Frames.header("l", length, new byte[16]));
				assertThat(attacker.isClosedByServer()).isTrue();
			}
			bystander.assertServed();
			assertThat(server(context).stats().invalidFrameCount()).isOne();
			bystander.close();
		});
	}

	@Test
	void frameOfExactlyTheMaximumIsAcceptedAndOneByteMoreCloses() {
		this.length.run((context) -> {
			Bystander bystander = new Bystander(context, "length");
			try (TestClient client = TestClient.connect(port(context))) {
				assertThat(client.write(Frames.frame("N", "a".repeat(1020).getBytes())).readLine())
					.startsWith("got 1020:");
				client.write(Frames.frame("N", "a".repeat(1021).getBytes()));
				assertThat(client.isClosedByServer()).isTrue();
			}
			bystander.assertServed();
			bystander.close();
		});
	}

	@Test
	void lineOfExactlyTheMaximumIsAcceptedAndOneByteMoreCloses(CapturedOutput output) {
		this.eof.run((context) -> {
			Bystander bystander = new Bystander(context, "eof");
			try (TestClient client = TestClient.connect(port(context))) {
				assertThat(client.send("b".repeat(1022) + "\r\n").readLine()).startsWith("got 1022:");
				client.send("b".repeat(1023));
				assertThat(client.isClosedByServer()).isTrue();
			}
			bystander.assertServed();
			assertThat(output).containsPattern("WARN .*Closing Connection\\[fd=\\d+, remote=/127.0.0.1:\\d+]: "
					+ "a message exceeds 1024 bytes \\(swoole.server.package-max-length\\)");
			bystander.close();
		});
	}

	@Test
	void partialFrameThenDisconnectDeliversNothing() {
		this.length.run((context) -> {
			ReplyingHandlers handlers = context.getBean(ReplyingHandlers.class);
			Bystander bystander = new Bystander(context, "length");
			try (TestClient attacker = TestClient.connect(port(context))) {
				byte[] frame = Frames.frame("N", "0123456789".getBytes());
				byte[] partial = new byte[8];
				System.arraycopy(frame, 0, partial, 0, partial.length);
				attacker.write(partial);
			}
			await().until(() -> handlers.closed.size() == 1);
			bystander.assertServed();
			assertThat(handlers.received).containsOnly("bystander");
			bystander.close();
		});
	}

	@Test
	void slowlorisTricklingBytesIsClosedByTheHeartbeat() {
		// the heartbeat counts whole messages only: the trickler, sending a byte twenty
		// times per idle time, is idle; the bystander, sending a message as often, is
		// not, unless stalled for the whole idle time
		this.eof.withPropertyValues("swoole.server.heartbeat-idle-time=2s").run((context) -> {
			ReplyingHandlers handlers = context.getBean(ReplyingHandlers.class);
			ScheduledExecutorService pacer = Executors.newScheduledThreadPool(2);
			AtomicInteger bystanderReplies = new AtomicInteger();
			AtomicReference<String> bystanderFailure = new AtomicReference<>();
			try (TestClient slow = TestClient.connect(port(context));
					TestClient bystander = TestClient.connect(port(context))) {
				// never a whole message; until the server closes it, when a write throws
				// and ends the schedule
				pacer.scheduleAtFixedRate(() -> slow.write(new byte[] { 'x' }), 0, 100, TimeUnit.MILLISECONDS);
				pacer.scheduleAtFixedRate(() -> {
					try {
						String reply = bystander.send("alive\r\n").readLine();
						if (reply == null) {
							bystanderFailure.compareAndSet(null, "closed by the server");
						}
						else if (reply.equals("got 5:alive")) {
							bystanderReplies.incrementAndGet();
						}
					}
					catch (RuntimeException | AssertionError ex) {
						bystanderFailure.compareAndSet(null, ex.toString());
					}
				}, 0, 100, TimeUnit.MILLISECONDS);
				await().failFast(() -> assertThat(bystanderFailure).as("the bystander's failure").hasNullValue())
					.until(() -> handlers.closed.size() == 1);
				assertThat(slow.isClosedByServer()).isTrue();
				int before = bystanderReplies.get();
				await().failFast(() -> assertThat(bystanderFailure).as("the bystander's failure").hasNullValue())
					.until(() -> bystanderReplies.get() > before + 2);
			}
			finally {
				pacer.shutdownNow();
			}
		});
	}

	@Test
	void clientThatNeverReadsCannotGrowServerMemory() {
		this.eof.withPropertyValues("swoole.server.buffer-output-size=64KB").run((context) -> {
			Bystander bystander = new Bystander(context, "eof");
			SwooleServer server = server(context);
			try (TestClient sink = TestClient.connect(port(context))) {
				assertThat(sink.send("register\r\n").readLine()).isEqualTo("got 8:register");
				int sinkPort = sink.socket().getLocalPort();
				long fd = server.connections()
					.stream()
					.filter((connection) -> ((InetSocketAddress) connection.remoteAddress()).getPort() == sinkPort)
					.findFirst()
					.orElseThrow()
					.id();
				byte[] chunk = new byte[16 * 1024];
				int accepted = 0;
				while (accepted < 10_000 && server.send(fd, chunk)) {
					accepted++;
				}
				assertThat(accepted).isLessThan(10_000);
				assertThat(server.exists(fd)).isTrue();
				bystander.assertServed();
			}
			bystander.close();
		});
	}

	@Test
	void connectionsPastMaxConnAreRefusedAndTheOthersServed(CapturedOutput output) {
		this.eof.withPropertyValues("swoole.server.max-conn=5").run((context) -> {
			Bystander bystander = new Bystander(context, "eof");
			List<TestClient> flood = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				flood.add(TestClient.connect(port(context)));
			}
			SwooleServer server = server(context);
			await().until(() -> server.stats().acceptCount() + server.stats().rejectCount() == 11);
			int served = 0;
			for (TestClient client : flood) {
				String reply;
				try {
					reply = client.send("hi\r\n").readLine();
				}
				catch (RuntimeException ex) {
					reply = null;
				}
				if ("got 2:hi".equals(reply)) {
					served++;
				}
			}
			flood.forEach(TestClient::close);
			assertThat(served).isEqualTo(4);
			assertThat(server(context).stats().rejectCount()).isEqualTo(6);
			assertThat(output).contains("5 connections are open (swoole.server.max-conn)");
			bystander.assertServed();
			bystander.close();
		});
	}

	@Test
	void garbageOnTheTlsPortCostsOnlyItsConnection() {
		tls().run((context) -> {
			try (TlsTestClient bystander = new TlsTestClient(port(context))) {
				assertThat(bystander.request("before\r\n")).isEqualTo("got 6:before");
				byte[] garbage = new byte[4096];
				new Random(7).nextBytes(garbage);
				garbage[0] = 0x16;
				try (TestClient attacker = TestClient.connect(port(context))) {
					attacker.write(garbage);
					assertThat(attacker.isClosedByServer()).isTrue();
				}
				assertThat(bystander.request("after\r\n")).isEqualTo("got 5:after");
			}
		});
	}

	@Test
	void plaintextClientOnTheTlsPortIsClosed() {
		tls().run((context) -> {
			try (TlsTestClient bystander = new TlsTestClient(port(context))) {
				try (TestClient plain = TestClient.connect(port(context))) {
					plain.send("hello\r\n");
					assertThat(plain.isClosedByServer()).isTrue();
				}
				assertThat(bystander.request("still\r\n")).isEqualTo("got 5:still");
			}
			assertThat(context.getBean(ReplyingHandlers.class).received).containsOnly("still");
		});
	}

	private ApplicationContextRunner tls() {
		return this.eof.withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
				"swoole.server.ssl.bundle=server");
	}

	private static SwooleServer server(AssertableApplicationContext context) {
		return context.getBean(SwooleServer.class);
	}

	private static int port(AssertableApplicationContext context) {
		return server(context).port();
	}

	/**
	 * A well-behaved client speaking the server's framing.
	 */
	private static final class Bystander {

		private final TestClient client;

		private final String mode;

		Bystander(AssertableApplicationContext context, String mode) {
			this.client = TestClient.connect(port(context));
			this.mode = mode;
			assertServed();
		}

		void assertServed() {
			byte[] body = "bystander".getBytes(StandardCharsets.US_ASCII);
			byte[] request = switch (this.mode) {
				case "eof" -> "bystander\r\n".getBytes(StandardCharsets.US_ASCII);
				case "length" -> Frames.frame("N", body);
				case "length-l" -> Frames.frame("l", body);
				default -> body;
			};
			assertThat(this.client.write(request).readLine()).isEqualTo("got 9:bystander");
		}

		void close() {
			this.client.close();
		}

	}

}
