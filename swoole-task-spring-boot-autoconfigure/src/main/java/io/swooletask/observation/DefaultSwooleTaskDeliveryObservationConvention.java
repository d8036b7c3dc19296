package io.swooletask.observation;

import io.micrometer.common.KeyValues;

import io.swooletask.observation.SwooleObservationDocumentation.TransportKeyNames;

/**
 * The default convention of the {@code swoole.task.delivery} observation: keys
 * {@code outcome} and {@code transport}.
 */
public class DefaultSwooleTaskDeliveryObservationConvention implements SwooleTaskDeliveryObservationConvention {

	@Override
	public String getName() {
		return "swoole.task.delivery";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SwooleTaskDeliveryContext context) {
		return KeyValues.of(
				TransportKeyNames.OUTCOME.withValue(SwooleObservationDocumentation.outcome(context.getError())),
				TransportKeyNames.TRANSPORT.withValue("amqp"));
	}

}
