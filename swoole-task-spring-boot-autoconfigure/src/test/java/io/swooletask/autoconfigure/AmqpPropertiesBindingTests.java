package io.swooletask.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code swoole.server.amqp.*} durations read a bare number as seconds, as every
 * other time setting.
 */
class AmqpPropertiesBindingTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(PropertiesConfiguration.class);

	@Test
	void replyQueueExpiryBareNumberIsSeconds() {
		this.runner.withPropertyValues("swoole.server.amqp.reply-queue-expiry=30")
			.run((context) -> assertThat(amqp(context).getReplyQueueExpiry()).isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void confirmTimeoutBareNumberIsSeconds() {
		this.runner.withPropertyValues("swoole.server.amqp.confirm-timeout=30")
			.run((context) -> assertThat(amqp(context).getConfirmTimeout()).isEqualTo(Duration.ofSeconds(30)));
	}

	@Test
	void replyTimeoutBareNumberIsSeconds() {
		this.runner.withPropertyValues("swoole.server.amqp.reply-timeout=30")
			.run((context) -> assertThat(amqp(context).getReplyTimeout()).isEqualTo(Duration.ofSeconds(30)));
	}

	private static SwooleServerProperties.Amqp amqp(ApplicationContext context) {
		return context.getBean(SwooleServerProperties.class).getAmqp();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SwooleServerProperties.class)
	static class PropertiesConfiguration {

	}

}
