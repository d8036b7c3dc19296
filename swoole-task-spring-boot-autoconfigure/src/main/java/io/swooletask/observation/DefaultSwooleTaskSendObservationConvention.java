package io.swooletask.observation;

import io.micrometer.common.KeyValues;

import io.swooletask.observation.SwooleObservationDocumentation.TransportKeyNames;

/**
 * The default convention of the {@code swoole.task.send} observation: keys
 * {@code outcome} and {@code transport}.
 */
public class DefaultSwooleTaskSendObservationConvention implements SwooleTaskSendObservationConvention {

	@Override
	public String getName() {
		return "swoole.task.send";
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(SwooleTaskSendContext context) {
		return KeyValues.of(
				TransportKeyNames.OUTCOME.withValue(SwooleObservationDocumentation.outcome(context.getError())),
				TransportKeyNames.TRANSPORT.withValue("amqp"));
	}

}
