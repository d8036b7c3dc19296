package io.swooletask.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the {@link SwooleObservationDocumentation#TASK_DELIVERY
 * swoole.task.delivery} observation; a bean of this type replaces
 * {@link DefaultSwooleTaskDeliveryObservationConvention}.
 */
public interface SwooleTaskDeliveryObservationConvention extends ObservationConvention<SwooleTaskDeliveryContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof SwooleTaskDeliveryContext;
	}

}
