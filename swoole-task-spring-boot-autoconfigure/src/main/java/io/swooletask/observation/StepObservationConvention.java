package io.swooletask.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationConvention;

import io.swooletask.observation.SwooleObservationDocumentation.StepKeyNames;

/**
 * The default convention of a step: its name, and its handler, outcome and transport as
 * keys.
 *
 * @param <T> the context of the step
 */
abstract class StepObservationConvention<T extends SwooleStepContext> implements ObservationConvention<T> {

	private final String name;

	StepObservationConvention(String name) {
		this.name = name;
	}

	@Override
	public String getName() {
		return this.name;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(T context) {
		return KeyValues.of(StepKeyNames.HANDLER.withValue(context.getHandler()),
				StepKeyNames.OUTCOME.withValue(SwooleObservationDocumentation.outcome(context.getError())),
				StepKeyNames.TRANSPORT.withValue(context.getTransport()));
	}

}
