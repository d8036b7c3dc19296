package io.swooletask.observation;

/**
 * The default convention of the {@code swoole.receive} observation: keys {@code handler},
 * {@code outcome} and {@code transport}.
 */
public class DefaultSwooleReceiveObservationConvention extends StepObservationConvention<SwooleReceiveContext>
		implements SwooleReceiveObservationConvention {

	public DefaultSwooleReceiveObservationConvention() {
		super("swoole.receive");
	}

}
