package io.swooletask.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the {@link SwooleObservationDocumentation#TASK_SEND swoole.task.send}
 * observation; a bean of this type replaces
 * {@link DefaultSwooleTaskSendObservationConvention}.
 */
public interface SwooleTaskSendObservationConvention extends ObservationConvention<SwooleTaskSendContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SwooleTaskSendContext;
	}

}
