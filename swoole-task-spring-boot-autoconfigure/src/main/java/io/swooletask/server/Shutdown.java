package io.swooletask.server;

/**
 * How the server stops, as Spring Boot's {@code server.shutdown}.
 */
public enum Shutdown {

	/**
	 * Within {@code shutdown-timeout}: stop accepting and reading, run the queued tasks,
	 * deliver their finish events, write every reply, then close.
	 */
	GRACEFUL,

	/**
	 * At once: queued tasks are reported unfinished, running tasks are not waited for,
	 * and connections close without the replies not yet written.
	 */
	IMMEDIATE

}
