package io.swooletask.autoconfigure;

import java.util.Locale;

import io.micrometer.observation.ObservationRegistry;
import io.swooletask.observation.SwooleFinishObservationConvention;
import io.swooletask.observation.SwooleReceiveObservationConvention;
import io.swooletask.observation.SwooleTaskDeliveryObservationConvention;
import io.swooletask.observation.SwooleTaskObservationConvention;
import io.swooletask.observation.SwooleTaskSendObservationConvention;
import io.swooletask.task.MessageObservations;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer Observations of the steps of each message, one trace per message, when the
 * application has an {@link ObservationRegistry} and turns them on
 * ({@code swoole.server.observations.enabled}: off by default, for what they cost per
 * message, measured in {@code docs/observability.md}). A bean of a step's
 * {@code ObservationConvention} type replaces its default convention. Names and keys:
 * {@code docs/observability.md}.
 */
@AutoConfiguration(before = SwooleServerAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnBooleanProperty(name = "swoole.server.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("swoole.server.observations.enabled")
@EnableConfigurationProperties(SwooleServerProperties.class)
public final class SwooleServerObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(MessageObservations.class)
	MicrometerMessageObservations swooleMessageObservations(ObservationRegistry registry,
			SwooleServerProperties properties, ObjectProvider<SwooleReceiveObservationConvention> receive,
			ObjectProvider<SwooleTaskObservationConvention> task,
			ObjectProvider<SwooleFinishObservationConvention> finish,
			ObjectProvider<SwooleTaskSendObservationConvention> send,
			ObjectProvider<SwooleTaskDeliveryObservationConvention> delivery) {
		MicrometerMessageObservations observations = new MicrometerMessageObservations(registry,
				properties.getTaskTransport().name().toLowerCase(Locale.ROOT));
		receive.ifAvailable(observations::setReceiveConvention);
		task.ifAvailable(observations::setTaskConvention);
		finish.ifAvailable(observations::setFinishConvention);
		send.ifAvailable(observations::setSendConvention);
		delivery.ifAvailable(observations::setDeliveryConvention);
		return observations;
	}

}
