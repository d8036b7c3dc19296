package io.swooletask.autoconfigure;

import java.util.Map;

import io.swooletask.annotation.OnReceive;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A {@code swoole.server.*} value out of range fails the start-up with Spring Boot's
 * report naming the property, the value and what is allowed, before Netty or the JDK meet
 * it.
 */
@ExtendWith(OutputCaptureExtension.class)
class PropertyValidationTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			task-worker-num        | -1    | must be at least 0
			worker-num             | 0     | must be at least 1
			worker-num             | -2    | must be at least 1
			port                   | 70000 | must be 0 (a free port) to 65535
			task-queue-capacity    | 0     | must be at least 1
			task-max-request       | -1    | must be at least 0
			task-max-request-grace | -1    | must be at least 0
			max-conn               | 0     | must be at least 1
			backlog                | 0     | must be at least 1
			buffer-output-size     | 0     | must be at least 1 byte
			heartbeat-idle-time    | 0     | must be longer than 0
			shutdown-timeout       | -1s   | must not be negative
			amqp.prefetch          | 0     | must be 1 to 65535
			amqp.reply-timeout     | 0     | must be longer than 0
			amqp.confirm-timeout   | 0     | must be longer than 0
			""")
	void aValueOutOfRangeIsReportedWithItsProperty(String property, String value, String reason,
			CapturedOutput output) {
		SpringApplication application = new SpringApplication(Base.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("swoole.server.port", "0", "swoole.server.worker-num", "1"));
		assertThatException().isThrownBy(() -> application.run("--swoole.server." + property + "=" + value).close());
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: swoole.server." + property)
			.contains("Value: ")
			.contains("Reason: " + reason)
			.doesNotContain("NegativeArraySizeException", "out of range", "strictly positive");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SwooleServerAutoConfiguration.class)
	@Import(ReceiveOnly.class)
	static class Base {

	}

	static class ReceiveOnly {

		@OnReceive
		void receive(String data) {
		}

	}

}
