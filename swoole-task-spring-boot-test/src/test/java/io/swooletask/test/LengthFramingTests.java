package io.swooletask.test;

import java.util.List;

import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.server.PackageLengthType;
import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Length-prefixed frames ({@code open-length-check}) between the client and a real
 * server: the client built without Spring for every pack code and header layout, the
 * injected one set up from the settings.
 */
class LengthFramingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(TestHandlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=1", "swoole.server.task-worker-num=1",
				"swoole.server.open-length-check=true");

	@ParameterizedTest
	@EnumSource(PackageLengthType.class)
	void everyPackCodeWithTheBodyAfterTheLengthField(PackageLengthType type) {
		assertRequestsPass(type, 0, type.size());
	}

	@ParameterizedTest
	@CsvSource({ "n, 2, 0", "N, 2, 8", "c, 3, 0", "V, 0, 6" })
	void lengthFieldAfterAnOffsetAndTheBodyAfterAGapOrCountedInTheLength(PackageLengthType type, int lengthOffset,
			int bodyOffset) {
		assertRequestsPass(type, lengthOffset, bodyOffset);
	}

	private void assertRequestsPass(PackageLengthType type, int lengthOffset, int bodyOffset) {
		this.runner
			.withPropertyValues("swoole.server.package-length-type=" + type,
					"swoole.server.package-length-offset=" + lengthOffset,
					"swoole.server.package-body-offset=" + bodyOffset)
			.run((context) -> {
				try (SwooleTestClient client = SwooleTestClient.builder()
					.port(context.getBean(SwooleServer.class).port())
					.lengthFraming(type, lengthOffset, bodyOffset)
					.build()) {
					assertThat(client.request("one")).isEqualTo("one -> OK");
					assertThat(client.requestAll(List.of("two", "three", "x".repeat(100))))
						.containsExactlyInAnyOrder("two -> OK", "three -> OK", "x".repeat(100) + " -> OK");
				}
			});
	}

	@Test
	void messageTooLongForTheLengthFieldIsRefusedBeforeSending() {
		SwooleTestClient client = SwooleTestClient.builder()
			.port(9501)
			.lengthFraming(PackageLengthType.c, 0, 1)
			.build();
		assertThatIllegalArgumentException().isThrownBy(() -> client.send("x".repeat(128)))
			.withMessage("A message of 128 bytes does not fit a length field of type c, which holds at most 127");
	}

	@Test
	void bodyOffsetInsideTheHeaderIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SwooleTestClient.builder().lengthFraming(PackageLengthType.N, 2, 4))
			.withMessageContaining("0 or at least 6");
	}

	@Nested
	@SpringBootTest(properties = { "swoole.server.open-eof-split=false", "swoole.server.open-length-check=true",
			"swoole.server.package-length-type=v", "swoole.server.package-length-offset=2",
			"swoole.server.package-body-offset=6" })
	class InjectedClient {

		@Autowired
		SwooleTestClient client;

		@Test
		void framesAsTheSettingsSay() {
			assertThat(this.client.request("framed")).isEqualTo("framed -> OK");
			assertThat(this.client.requestAll(List.of("hold a", "release"))).containsExactly("released", "hold a");
		}

	}

}
