package io.swooletask.torture;

/**
 * The {@link Error} a task of the torture test throws on purpose, without a stack trace.
 */
final class TortureError extends Error {

	TortureError(String id) {
		super("task " + id + " errs on purpose", null, false, false);
	}

}
