package io.swooletask.observation;

/**
 * The default convention of the {@code swoole.finish} observation: keys {@code handler},
 * {@code outcome} and {@code transport}.
 */
public class DefaultSwooleFinishObservationConvention extends StepObservationConvention<SwooleFinishContext>
		implements SwooleFinishObservationConvention {

	public DefaultSwooleFinishObservationConvention() {
		super("swoole.finish");
	}

}
