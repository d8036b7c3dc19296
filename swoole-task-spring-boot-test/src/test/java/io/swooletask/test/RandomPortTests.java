package io.swooletask.test;

import java.util.List;

import io.swooletask.autoconfigure.SwooleServerProperties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the test kit sets {@code swoole.server.port=0} and when it leaves the port alone.
 * The tests that set a port run the server without a listener
 * ({@code swoole.server.listen=false}): the rule is about the setting the server gets,
 * and a fixed port could be taken on a shared machine. {@link SwooleTestClientTests}
 * shows the random port overriding {@code application.yml}.
 */
class RandomPortTests {

	private final SwooleTestContextCustomizerFactory factory = new SwooleTestContextCustomizerFactory();

	@Test
	void everySpringBootTestGetsTheSameCustomizerSoContextsAreStillShared() {
		assertThat(this.factory.createContextCustomizer(SwooleTestClientTests.class, List.of()))
			.isEqualTo(this.factory.createContextCustomizer(ClientClosedAfterEachTestTests.class, List.of()))
			.isNotNull();
	}

	@Test
	void testsThatAreNotSpringBootTestsAreLeftAlone() {
		assertThat(this.factory.createContextCustomizer(PlainSpringTest.class, List.of())).isNull();
	}

	@Nested
	@SpringBootTest(properties = { "swoole.server.port=47123", "swoole.server.listen=false" })
	class PortInSpringBootTestProperties {

		@Autowired
		SwooleServerProperties properties;

		@Autowired
		SwooleTestClient client;

		@Test
		void isKept() {
			assertThat(this.properties.getPort()).isEqualTo(47123);
		}

		@Test
		void aClientBeanOfTheTestIsKept() {
			assertThat(this.client).isSameAs(OwnClient.CLIENT);
		}

		@TestConfiguration(proxyBeanMethods = false)
		static class OwnClient {

			static final SwooleTestClient CLIENT = SwooleTestClient.builder().port(47123).build();

			@Bean
			SwooleTestClient ownClient() {
				return CLIENT;
			}

		}

	}

	@Nested
	@SpringBootTest(properties = "swoole.server.listen=false")
	@TestPropertySource(properties = "swoole.server.port=47124")
	class PortInTestPropertySource {

		@Autowired
		SwooleServerProperties properties;

		@Test
		void isKept() {
			assertThat(this.properties.getPort()).isEqualTo(47124);
		}

	}

	@SpringJUnitConfig
	static class PlainSpringTest {

	}

}
