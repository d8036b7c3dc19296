package io.swooletask.test;

import java.util.List;
import java.util.Map;

import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client built without Spring against a real server with delimiter framing
 * ({@code open-eof-split}) and without framing.
 */
class EofAndRawFramingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=1", "swoole.server.task-worker-num=1");

	@ParameterizedTest
	@ValueSource(strings = { "\n", "\r\n", "#|", "\u20ac" })
	void delimiterOfOneOrMoreBytes(String packageEof) {
		this.runner.withInitializer(eofSplit(packageEof)).run((context) -> {
			try (SwooleTestClient client = SwooleTestClient.builder()
				.port(context.getBean(SwooleServer.class).port())
				.eofFraming(packageEof)
				.build()) {
				assertThat(client.requestAll(List.of("one", "two"))).containsExactlyInAnyOrder("one -> OK",
						"two -> OK");
			}
		});
	}

	@Test
	void replyLongerThanOneReadIsPutTogether() {
		String line = "x".repeat(100_000);
		this.runner.withInitializer(eofSplit("\n")).run((context) -> {
			try (SwooleTestClient client = SwooleTestClient.builder()
				.port(context.getBean(SwooleServer.class).port())
				.lineFraming()
				.build()) {
				assertThat(client.request(line)).isEqualTo(line + " -> OK");
			}
		});
	}

	@Test
	void withoutFramingEachReadIsOneReply() {
		this.runner.run((context) -> {
			try (SwooleTestClient client = SwooleTestClient.builder()
				.port(context.getBean(SwooleServer.class).port())
				.build()) {
				assertThat(client.request("unframed")).isEqualTo("unframed -> OK");
			}
		});
	}

	/**
	 * {@code open-eof-split} with a delimiter that inlined properties would lose, since
	 * they are trimmed.
	 */
	private static ApplicationContextInitializer<ConfigurableApplicationContext> eofSplit(String packageEof) {
		return (context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("eof",
					Map.of("swoole.server.open-eof-split", true, "swoole.server.package-eof", packageEof)));
	}

}
