package io.swooletask.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.swooletask.autoconfigure.SwooleServerProperties;
import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The injected client against the line protocol of {@code application.yml}, on the random
 * port the test kit gives a {@code @SpringBootTest}.
 */
@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class SwooleTestClientTests {

	/**
	 * Shorter than the default timeout, yet long enough for the replies that do come, on
	 * a loaded machine: the tests that use it wait for the reply or close that never
	 * comes.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	@Autowired
	SwooleTestClient client;

	@Autowired
	ObjectProvider<SwooleTestClient> clients;

	@LocalSwooleServerPort
	int port;

	@Autowired
	SwooleServer server;

	@Autowired
	SwooleServerProperties properties;

	@Test
	void serverBindsARandomPortInsteadOfTheOneInApplicationYml() {
		assertThat(this.properties.getPort()).isZero();
		assertThat(this.port).isEqualTo(this.server.port()).isNotEqualTo(9599).isPositive();
	}

	@Test
	void requestGetsTheReplyOverTheServersFraming() {
		assertThat(this.client.request("hello")).isEqualTo("hello -> OK");
		assertThat(this.client.request("again")).isEqualTo("again -> OK");
	}

	@Test
	void eachInjectionGetsAClientWithAConnectionOfItsOwn() {
		SwooleTestClient other = this.clients.getObject();
		assertThat(other).isNotSameAs(this.client);
		this.client.connect();
		other.connect();
		await().until(() -> this.server.connections().size() == 2);
		assertThat(other.request("other")).isEqualTo("other -> OK");
		assertThat(this.client.request("this")).isEqualTo("this -> OK");
	}

	@Test
	void requestAllPipelinesAndTakesRepliesInAnyOrder() {
		assertThat(this.client.requestAll(List.of("hold a", "hold b", "release"))).containsExactly("released", "hold b",
				"hold a");
		List<String> messages = IntStream.range(0, 50).mapToObj((i) -> "message " + i).toList();
		assertThat(this.client.requestAll(messages))
			.containsExactlyInAnyOrderElementsOf(messages.stream().map((message) -> message + " -> OK").toList());
	}

	@Test
	void receiveTakesRepliesToEarlierSends() {
		this.client.send("one").send("two".getBytes(StandardCharsets.UTF_8));
		assertThat(List.of(this.client.receive(), new String(this.client.receiveBytes(), StandardCharsets.UTF_8)))
			.containsExactlyInAnyOrder("one -> OK", "two -> OK");
	}

	@Test
	void timeoutSaysWhatWasExpectedAndWhichRepliesCame() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.client.withTimeout(TIMEOUT).requestAll(List.of("first", "hold second")))
			.withMessage("Expected 2 replies from 127.0.0.1:%d (eof \"\\n\") within 3s, got 1: [\"first -> OK\"]",
					this.port);
	}

	@Test
	void timeoutShowsTheStartOfAnUnfinishedReply() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.client.withTimeout(TIMEOUT).request("partial half a line"))
			.withMessageEndingWith("within 3s, got none, and 11 bytes of an unfinished one: \"half a line\"");
	}

	@Test
	void closeByTheServerWhileAReplyIsExpectedFailsAtOnce() {
		long start = System.nanoTime();
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> this.client.request("close"))
			.withMessageEndingWith("(eof \"\\n\"), but the server closed the connection; got none");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SwooleTestClient.DEFAULT_TIMEOUT);
		assertThat(this.client.request("after")).as("connected again").isEqualTo("after -> OK");
	}

	@Test
	void expectClosedPassesWhenAnOversizedFrameCostsTheConnection(CapturedOutput output) {
		this.client.send("x".repeat(2048)).expectClosed();
		await().untilAsserted(() -> assertThat(output).contains("swoole.server.package-max-length"));
		assertThat(this.client.request("after")).as("connected again").isEqualTo("after -> OK");
	}

	@Test
	void expectClosedFailsWhileTheConnectionStaysOpen() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.client.withTimeout(TIMEOUT).send("partial not closing").expectClosed())
			.withMessage("Expected 127.0.0.1:%d (eof \"\\n\") to close the connection within 3s, but it is still"
					+ " open; it sent \"not closing\"", this.port);
	}

	@Test
	void clientCertificateNeedsTls() {
		assertThatIllegalStateException().isThrownBy(() -> this.client.withClientCertificate("any"))
			.withMessageContaining("needs TLS");
	}

}
