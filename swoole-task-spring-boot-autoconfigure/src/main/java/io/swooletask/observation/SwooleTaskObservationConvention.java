package io.swooletask.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the {@link SwooleObservationDocumentation#TASK swoole.task}
 * observation; a bean of this type replaces
 * {@link DefaultSwooleTaskObservationConvention}.
 */
public interface SwooleTaskObservationConvention extends ObservationConvention<SwooleTaskContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SwooleTaskContext;
	}

}
