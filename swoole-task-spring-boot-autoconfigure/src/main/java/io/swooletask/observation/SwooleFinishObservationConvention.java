package io.swooletask.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the {@link SwooleObservationDocumentation#FINISH swoole.finish}
 * observation; a bean of this type replaces
 * {@link DefaultSwooleFinishObservationConvention}.
 */
public interface SwooleFinishObservationConvention extends ObservationConvention<SwooleFinishContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SwooleFinishContext;
	}

}
