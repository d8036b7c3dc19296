package io.swooletask.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import io.swooletask.autoconfigure.SwooleServerProperties;
import io.swooletask.support.ReplyingHandlers;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * TLS as deployments use it: client certificates asked for ({@code ssl.client-auth}) and
 * checked against the bundle's trust store, and a certificate renewed on disk served to
 * new connections without a restart ({@code reload-on-update}).
 */
class TlsClientAuthIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
		.withBean(ReplyingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.open-eof-split=true",
				"swoole.server.ssl.bundle=server",
				"spring.ssl.bundle.pem.client.keystore.certificate=classpath:tls/client.crt",
				"spring.ssl.bundle.pem.client.keystore.private-key=classpath:tls/client.key",
				"spring.ssl.bundle.pem.client.truststore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.rogue.keystore.certificate=classpath:tls/rogue-client.crt",
				"spring.ssl.bundle.pem.rogue.keystore.private-key=classpath:tls/rogue-client.key",
				"spring.ssl.bundle.pem.rogue.truststore.certificate=classpath:tls/server.crt",
				"spring.ssl.bundle.pem.anonymous.truststore.certificate=classpath:tls/server.crt");

	private final ApplicationContextRunner mutual = this.runner.withPropertyValues(
			"spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/server.crt",
			"spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/server.key",
			"spring.ssl.bundle.pem.server.truststore.certificate=classpath:tls/ca.crt");

	@Test
	void needServesAClientWithACertificateTheTrustStoreVouchesFor() {
		this.mutual.withPropertyValues("swoole.server.ssl.client-auth=need")
			.run((context) -> assertThat(request(context, "client", "hello")).isEqualTo("got 5:hello"));
	}

	@Test
	void needRefusesAClientWithoutACertificate() {
		this.mutual.withPropertyValues("swoole.server.ssl.client-auth=need")
			.run((context) -> assertThatException().isThrownBy(() -> request(context, "anonymous", "hello")));
	}

	@Test
	void needRefusesAClientWhoseCertificateTheTrustStoreDoesNotVouchFor() {
		this.mutual.withPropertyValues("swoole.server.ssl.client-auth=need")
			.run((context) -> assertThatException().isThrownBy(() -> request(context, "rogue", "hello")));
	}

	@Test
	void wantServesAClientWithoutACertificate() {
		this.mutual.withPropertyValues("swoole.server.ssl.client-auth=want")
			.run((context) -> assertThat(request(context, "anonymous", "hello")).isEqualTo("got 5:hello"));
	}

	@Test
	void noneIsTheDefaultAndDoesNotAskForACertificate() {
		this.mutual.run((context) -> {
			assertThat(context.getBean(SwooleServerProperties.class).getSsl().getClientAuth())
				.isEqualTo(SwooleServerProperties.Ssl.ClientAuth.NONE);
			assertThat(request(context, "anonymous", "hello")).isEqualTo("got 5:hello");
		});
	}

	@Test
	void aCertificateRenewedOnDiskIsServedToNewConnectionsWithoutARestart(@TempDir Path directory) throws IOException {
		Path certificate = copy("tls/server.crt", directory.resolve("server.crt"));
		Path key = copy("tls/server.key", directory.resolve("server.key"));
		this.runner.withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=" + certificate.toUri(),
				"spring.ssl.bundle.pem.server.keystore.private-key=" + key.toUri(),
				"spring.ssl.bundle.pem.server.reload-on-update=true", "spring.ssl.bundle.watch.file.quiet-period=100ms",
				"spring.ssl.bundle.pem.renewed.truststore.certificate=classpath:tls/renewed.crt")
			.run((context) -> {
				assertThat(servedSubject(context, "client")).contains("CN=localhost");
				copy("tls/renewed.key", key);
				copy("tls/renewed.crt", certificate);
				await().atMost(Duration.ofSeconds(30))
					.ignoreExceptions()
					.untilAsserted(() -> assertThat(servedSubject(context, "renewed")).contains("CN=renewed"));
				assertThat(request(context, "renewed", "after")).isEqualTo("got 5:after");
			});
	}

	private static String request(AssertableApplicationContext context, String bundle, String line) {
		try (SSLSocket socket = connect(context, bundle)) {
			socket.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
				.readLine();
			if (reply == null) {
				throw new IllegalStateException("The server closed the connection without a reply");
			}
			return reply;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String servedSubject(AssertableApplicationContext context, String bundle) throws IOException {
		try (SSLSocket socket = connect(context, bundle)) {
			socket.startHandshake();
			return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
		}
	}

	private static SSLSocket connect(AssertableApplicationContext context, String bundle) throws IOException {
		SSLSocket socket = (SSLSocket) context.getBean(SslBundles.class)
			.getBundle(bundle)
			.createSslContext()
			.getSocketFactory()
			.createSocket("127.0.0.1", context.getBean(SwooleServer.class).port());
		socket.setSoTimeout(10_000);
		return socket;
	}

	private static Path copy(String resource, Path target) throws IOException {
		Path temporary = Files.createTempFile(target.getParent(), "next", ".pem");
		try (var input = new ClassPathResource(resource).getInputStream()) {
			Files.copy(input, temporary, StandardCopyOption.REPLACE_EXISTING);
		}
		return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

}
