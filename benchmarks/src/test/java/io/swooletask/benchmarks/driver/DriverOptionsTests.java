package io.swooletask.benchmarks.driver;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.swooletask.benchmarks.protocol.RequestType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DriverOptionsTests {

	@Test
	void parsesConnectionClasses() {
		DriverOptions options = DriverOptions.parse("--class", "16:S20:4", "--class", "8:E:1", "--duration", "3",
				"--warmup", "500ms");
		assertThat(options.classes()).extracting(ConnectionClass::name).containsExactly("16:S20:4", "8:E:1");
		assertThat(options.classes().get(0).mix().singleType()).isEqualTo(RequestType.parse("S20"));
		assertThat(options.duration()).isEqualTo(Duration.ofSeconds(3));
		assertThat(options.warmup()).isEqualTo(Duration.ofMillis(500));
		assertThat(options.host()).isEqualTo("127.0.0.1");
	}

	@Test
	void buildsOneClassFromConnectionsDepthAndRequest() {
		DriverOptions options = DriverOptions.parse("--connections", "4", "--depth", "16");
		assertThat(options.classes()).extracting(ConnectionClass::name).containsExactly("4:T:16");
	}

	@Test
	void cyclesThroughAWeightedMix() {
		RequestMix mix = RequestMix.parse("T=2,F=1");
		assertThat(mix.singleType()).isNull();
		assertThat(new RequestType[] { mix.typeOf(0), mix.typeOf(1), mix.typeOf(2), mix.typeOf(3) })
			.containsExactly(RequestType.TASK, RequestType.TASK, RequestType.FAIL, RequestType.TASK);
	}

	@Test
	void refusesANonLoopbackHostUnlessAllowed() {
		assertThatIllegalArgumentException().isThrownBy(() -> DriverOptions.parse("--host", "192.0.2.1"))
			.withMessageContaining("--allow-non-loopback");
		assertThat(DriverOptions.parse("--host", "192.0.2.1", "--allow-non-loopback").host()).isEqualTo("192.0.2.1");
	}

	@Test
	void refusesMixingClassWithSingleClassOptions() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DriverOptions.parse("--class", "1:T:1", "--connections", "2"));
	}

}
