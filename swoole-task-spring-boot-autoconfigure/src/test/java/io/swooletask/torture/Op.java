package io.swooletask.torture;

/**
 * What a request of the torture test asks the server to do; each request is answered by
 * one line.
 */
public enum Op {

	/** A task that returns at once. */
	ECHO,

	/** A task targeted at worker {@code arg}. */
	TARGET,

	/** A task that throws an {@link Exception}. */
	THROW,

	/** A task that throws an {@link Error}. */
	ERROR,

	/** A task that blocks for {@code arg} milliseconds. */
	BLOCK,

	/** A task whose reply is {@code arg} bytes long. */
	BIG,

	/** A task with a callback, dispatched from a thread that is not an event loop. */
	CALLBACK,

	/** A task with a future, dispatched from a thread that is not an event loop. */
	ASYNC,

	/** No task: the event loop answers at once. */
	DIRECT

}
