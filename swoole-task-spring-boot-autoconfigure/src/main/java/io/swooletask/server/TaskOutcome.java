package io.swooletask.server;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of one task of {@link SwooleServer#taskWaitMulti}: a result, a failure, or
 * a timeout, so a caller can tell a timed-out task from one that returned {@code null}.
 *
 * @param result the first result, or {@code null} unless {@link #isSuccess()}
 * @param failure the task's exception, or {@code null} unless it failed
 * @param timedOut whether no result came in time
 */
public record TaskOutcome(@Nullable Object result, @Nullable Throwable failure, boolean timedOut) {

	/**
	 * Whether the task delivered a result in time.
	 * @return whether it succeeded
	 */
	public boolean isSuccess() {
		return !this.timedOut && this.failure == null;
	}

}
