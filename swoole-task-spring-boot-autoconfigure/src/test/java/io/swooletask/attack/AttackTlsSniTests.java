package io.swooletask.attack;

import io.swooletask.server.SwooleServer;
import io.swooletask.support.ReplyingHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attack: since the listener goes through Reactor Netty's SNI mapping (ServerTls), the
 * client's hello is read by Netty's SslClientHelloHandler, which throws a
 * TooLongFrameException for a ClientHello announced over 64 KiB. ConnectionHandler takes
 * every TooLongFrameException for a message over package-max-length: the TLS failure is
 * logged as "a message exceeds 2097152 bytes (swoole.server.package-max-length)" and
 * counted in swoole.frames.oversize, though no message was framed at all.
 */
@ExtendWith(OutputCaptureExtension.class)
class AttackTlsSniTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withBean(ReplyingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.open-eof-split=true",
				"spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
				"swoole.server.ssl.bundle=server");

	@Test
	void anOversizedClientHelloIsATlsFailureNotAnOversizedMessage(CapturedOutput output) {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			try (TestClient client = TestClient.connect(server.port())) {
				// a handshake record whose ClientHello announces 65537 bytes
				client.write(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x01, 0x00, 0x01 });
				assertThat(client.isClosedByServer()).isTrue();
			}
			await().until(() -> output.getAll().contains("WARN"));
			assertThat(output.getAll()).doesNotContain("swoole.server.package-max-length");
			assertThat(server.stats().oversizeFrameCount()).isZero();
		});
	}

}
