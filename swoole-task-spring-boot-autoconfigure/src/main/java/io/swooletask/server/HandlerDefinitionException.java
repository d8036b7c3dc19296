package io.swooletask.server;

/**
 * A handler method cannot be used as declared; start-up fails with what is wrong and how
 * to fix it.
 */
public class HandlerDefinitionException extends SwooleServerException {

	private final String description;

	private final String action;

	public HandlerDefinitionException(String description, String action) {
		super(description + " " + action);
		this.description = description;
		this.action = action;
	}

	/**
	 * What is wrong, naming bean and method.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * How to fix it.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
