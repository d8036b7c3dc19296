package io.swooletask.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the {@link SwooleObservationDocumentation#RECEIVE swoole.receive}
 * observation; a bean of this type replaces
 * {@link DefaultSwooleReceiveObservationConvention}.
 */
public interface SwooleReceiveObservationConvention extends ObservationConvention<SwooleReceiveContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SwooleReceiveContext;
	}

}
