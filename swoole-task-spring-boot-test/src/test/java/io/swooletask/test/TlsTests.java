package io.swooletask.test;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * TLS through the SSL bundle of {@code swoole.server.ssl.bundle}: the server's
 * certificate is {@code tls/server.crt}; the bundle's trust store holds
 * {@code tls/client.crt}, the certificate of the {@code client} bundle, and nothing else,
 * so a server that requires a client certificate accepts only that one.
 */
class TlsTests {

	@Nested
	@SpringBootTest(properties = { "spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
			"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
			"spring.ssl.bundle.pem.server.truststore.certificate=classpath:tls/client.crt",
			"spring.ssl.bundle.pem.client.keystore.certificate=classpath:tls/client.crt",
			"spring.ssl.bundle.pem.client.keystore.private-key=classpath:tls/client.key",
			"swoole.server.ssl.bundle=server" })
	class ServerCertificate {

		@Autowired
		SwooleTestClient client;

		@Test
		void injectedClientSpeaksTlsTrustingTheServersBundle() {
			assertThat(this.client.request("secret")).isEqualTo("secret -> OK");
		}

		@Test
		void clientCertificateIsChosenBeforeConnecting() {
			this.client.connect();
			assertThatIllegalStateException().isThrownBy(() -> this.client.withClientCertificate("client"))
				.withMessageContaining("connected");
		}

	}

	/**
	 * The server requires client certificates here
	 * ({@code swoole.server.ssl.client-auth=need}).
	 */
	@Nested
	@SpringBootTest(properties = { "spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
			"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
			"spring.ssl.bundle.pem.server.truststore.certificate=classpath:tls/client.crt",
			"spring.ssl.bundle.pem.client.keystore.certificate=classpath:tls/client.crt",
			"spring.ssl.bundle.pem.client.keystore.private-key=classpath:tls/client.key",
			"swoole.server.ssl.bundle=server", "swoole.server.ssl.client-auth=need" })
	@ExtendWith(OutputCaptureExtension.class)
	class MutualTls {

		@Autowired
		SwooleTestClient client;

		@Autowired
		SslBundles sslBundles;

		@LocalSwooleServerPort
		int port;

		@Test
		void injectedClientPresentsTheCertificateOfTheNamedBundle() {
			assertThat(this.client.withClientCertificate("client").request("mutual")).isEqualTo("mutual -> OK");
		}

		@Test
		void clientBuiltWithoutSpringPresentsTheCertificateOfItsBundle() {
			try (SwooleTestClient client = SwooleTestClient.builder()
				.port(this.port)
				.lineFraming()
				.ssl(this.sslBundles.getBundle("server"))
				.clientCertificate(this.sslBundles.getBundle("client"))
				.build()) {
				assertThat(client.request("built")).isEqualTo("built -> OK");
			}
		}

		@Test
		void clientWithoutCertificateIsRefused(CapturedOutput output) {
			Throwable refused = catchThrowable(() -> this.client.request("anonymous"));
			assertThat(refused).isInstanceOfAny(AssertionError.class, UncheckedIOException.class);
			await().untilAsserted(() -> assertThat(output).contains("TLS handshake failed"));
		}

	}

}
