package io.swooletask.autoconfigure;

import java.util.Map;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A key under {@code swoole.server.*} that names no setting fails the start-up with the
 * key and the nearest setting, instead of being ignored; Swoole's snake_case names still
 * bind.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertyTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			task-worker-nums    | 4    | task-worker-nums    | swoole.server.task-worker-num
			taskWorkerNums      | 4    | taskworkernums      | swoole.server.task-worker-num
			package-eoff        | x    | package-eoff        | swoole.server.package-eof
			amqp.prefech        | 10   | amqp.prefech        | swoole.server.amqp.prefetch
			ssl.bundel          | tls  | ssl.bundel          | swoole.server.ssl.bundle
			observation.enabled | true | observation.enabled | swoole.server.observations.enabled
			""")
	void anUnknownKeyFailsTheStartUpNamingTheNearestSetting(String key, String value, String reported, String nearest,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--swoole.server." + key + "=" + value).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("swoole.server." + reported + " is not a setting of the Swoole server (set in \"swoole.server."
					+ key + "\" from property source \"commandLineArgs\")")
			.contains("Did you mean " + nearest + "?");
	}

	@Test
	void aKeyFarFromEverySettingGetsNoSuggestion(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run("--swoole.server.colour=blue").close());
		assertThat(output).contains("swoole.server.colour is not a setting of the Swoole server")
			.doesNotContain("Did you mean");
	}

	@Test
	void knownSettingsLeftUnboundByAnApplicationClassAreNotCalledUnknown(CapturedOutput output) {
		SpringApplication application = new SpringApplication(Base.class, StrictApplicationProperties.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("swoole.server.port", "0", "swoole.server.worker-num", "1"));
		assertThatException().isThrownBy(() -> application.run().close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("swoole.server.port")
			.doesNotContain("is not a setting of the Swoole server");
	}

	@Test
	void swooleSnakeCaseNamesBind() {
		try (ConfigurableApplicationContext context = run("--swoole.server.task_worker_num=3",
				"--swoole.server.open_tcp_nodelay=false")) {
			SwooleServerProperties properties = context.getBean(SwooleServerProperties.class);
			assertThat(properties.getTaskWorkerNum()).isEqualTo(3);
			assertThat(properties.isOpenTcpNodelay()).isFalse();
			assertThat(context.getBean(SwooleServer.class).stats().taskWorkerNum()).isEqualTo(3);
		}
	}

	private static ConfigurableApplicationContext run(String... args) {
		SpringApplication application = new SpringApplication(Base.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("swoole.server.port", "0", "swoole.server.worker-num", "1"));
		return application.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SwooleServerAutoConfiguration.class)
	@Import(Handlers.class)
	static class Base {

	}

	/**
	 * An application's own properties under {@code swoole}, strict about what is under
	 * it.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(StrictApplicationProperties.Properties.class)
	static class StrictApplicationProperties {

		@ConfigurationProperties(prefix = "swoole", ignoreUnknownFields = false)
		static class Properties {

		}

	}

	static class Handlers {

		@OnReceive
		void receive(String data) {
		}

		@OnTask
		String task(String data) {
			return data;
		}

	}

}
