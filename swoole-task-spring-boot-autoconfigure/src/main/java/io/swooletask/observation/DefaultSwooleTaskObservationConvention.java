package io.swooletask.observation;

/**
 * The default convention of the {@code swoole.task} observation: keys {@code handler},
 * {@code outcome} and {@code transport}.
 */
public class DefaultSwooleTaskObservationConvention extends StepObservationConvention<SwooleTaskContext>
		implements SwooleTaskObservationConvention {

	public DefaultSwooleTaskObservationConvention() {
		super("swoole.task");
	}

}
