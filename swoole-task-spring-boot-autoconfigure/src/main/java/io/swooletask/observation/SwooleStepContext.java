package io.swooletask.observation;

import io.micrometer.observation.Observation;

/**
 * What the observation of a step of a message knows: the method that handles it and the
 * transport of the server's tasks.
 */
public abstract class SwooleStepContext extends Observation.Context {

	private final String handler;

	private final String transport;

	SwooleStepContext(String handler, String transport) {
		this.handler = handler;
		this.transport = transport;
	}

	/**
	 * What handles the step: a handler method as {@code bean.method}, or {@code callback}
	 * or {@code future} for a finish result handed to either.
	 * @return the handler
	 */
	public String getHandler() {
		return this.handler;
	}

	/**
	 * The transport of the server's tasks.
	 * @return {@code local} or {@code amqp}
	 */
	public String getTransport() {
		return this.transport;
	}

}
