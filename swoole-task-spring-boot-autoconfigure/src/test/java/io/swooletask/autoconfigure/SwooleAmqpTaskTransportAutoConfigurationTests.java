package io.swooletask.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration of the amqp task transport, without a broker: nothing here
 * connects.
 */
class SwooleAmqpTaskTransportAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RabbitAutoConfiguration.class, JacksonAutoConfiguration.class,
				SwooleAmqpTaskTransportAutoConfiguration.class, SwooleServerAutoConfiguration.class))
		.withPropertyValues("swoole.server.task-transport=amqp", "swoole.server.listen=false");

	@Test
	void replyTimeoutMustBePositive() {
		this.runner.withPropertyValues("swoole.server.amqp.reply-timeout=0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(BindValidationException.class)
				.hasMessageContaining("swoole.server.amqp.reply-timeout")
				.hasMessageContaining("must be longer than 0"));
	}

}
