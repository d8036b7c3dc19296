package io.swooletask.benchmarks.protocol;

/**
 * What a task does with a request, the same in both servers: {@code S} sleeps, {@code F}
 * throws, and the result is {@code <payload> -> OK}.
 */
public final class TaskWork {

	private TaskWork() {
	}

	/**
	 * Runs a task request.
	 * @param request a {@code T}, {@code S} or {@code F} request
	 * @return the task's result, without a {@code \n}
	 * @throws RequestedFailureException for an {@code F} request
	 */
	public static String run(Request request) {
		RequestType type = request.type();
		if (type.code() == 'F') {
			throw new RequestedFailureException(request.payload());
		}
		if (type.sleepMillis() > 0) {
			sleep(type.sleepMillis());
		}
		return ReplyForm.TASK_RESULT.format(request.payload());
	}

	private static void sleep(int millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted in a sleeping task", ex);
		}
	}

	/**
	 * Thrown by the task of an {@code F} request, on purpose.
	 */
	public static final class RequestedFailureException extends RuntimeException {

		RequestedFailureException(String payload) {
			super("F request " + payload + " fails on purpose", null, false, false);
		}

	}

}
