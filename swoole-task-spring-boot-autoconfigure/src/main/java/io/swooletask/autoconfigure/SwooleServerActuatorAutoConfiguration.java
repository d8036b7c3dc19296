package io.swooletask.autoconfigure;

import io.swooletask.amqp.AmqpTaskTransport;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.netty.NettySwooleServer;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code swoole} health indicator, the {@code swooleBroker} one with the amqp
 * transport, and the actuator endpoint, when Spring Boot's health and actuator modules
 * are on the class path.
 */
@AutoConfiguration(after = SwooleServerAutoConfiguration.class)
@ConditionalOnBean(SwooleServer.class)
public final class SwooleServerActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthIndicator.class)
	@ConditionalOnBean(NettySwooleServer.class)
	@ConditionalOnEnabledHealthIndicator("swoole")
	static class HealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "swooleHealthIndicator")
		SwooleHealthIndicator swooleHealthIndicator(NettySwooleServer swooleServer) {
			return new SwooleHealthIndicator(swooleServer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
			"org.springframework.amqp.rabbit.connection.ConnectionFactory" })
	@ConditionalOnBean(AmqpTaskTransport.class)
	@ConditionalOnEnabledHealthIndicator("swoolebroker")
	static class BrokerHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "swooleBrokerHealthIndicator")
		SwooleBrokerHealthIndicator swooleBrokerHealthIndicator(AmqpTaskTransport transport) {
			return new SwooleBrokerHealthIndicator(transport);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Endpoint.class)
	@ConditionalOnAvailableEndpoint(SwooleEndpoint.class)
	static class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		SwooleEndpoint swooleEndpoint(SwooleServer swooleServer) {
			return new SwooleEndpoint(swooleServer);
		}

	}

}
