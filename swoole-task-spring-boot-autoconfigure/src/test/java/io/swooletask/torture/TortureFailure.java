package io.swooletask.torture;

/**
 * What a task of the torture test throws on purpose, without a stack trace, so that the
 * log line it causes is short.
 */
final class TortureFailure extends Exception {

	TortureFailure(String id) {
		super("task " + id + " fails on purpose", null, false, false);
	}

}
