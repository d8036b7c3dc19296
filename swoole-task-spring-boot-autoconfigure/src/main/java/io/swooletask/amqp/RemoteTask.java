package io.swooletask.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.Task;

/**
 * A task taken from the work queue, as its {@code @OnTask} method sees it on the worker
 * node. Each {@link #finish} is sent to the origin at once, numbered so that the origin
 * keeps one copy of it if the task runs again after a worker died.
 */
final class RemoteTask implements Task {

	private final long id;

	private final int srcWorkerId;

	private final int workerId;

	private final Object data;

	private final Instant dispatchTime;

	private final Replies replies;

	private final @Nullable Connection connection;

	private int sequence;

	private boolean ended;

	RemoteTask(long id, int srcWorkerId, int workerId, Object data, Instant dispatchTime, Replies replies,
			@Nullable Connection connection) {
		this.connection = connection;
		this.id = id;
		this.srcWorkerId = srcWorkerId;
		this.workerId = workerId;
		this.data = data;
		this.dispatchTime = dispatchTime;
		this.replies = replies;
	}

	@Override
	public long id() {
		return this.id;
	}

	@Override
	public int srcWorkerId() {
		return this.srcWorkerId;
	}

	@Override
	public int workerId() {
		return this.workerId;
	}

	@Override
	public Object data() {
		return this.data;
	}

	@Override
	public Instant dispatchTime() {
		return this.dispatchTime;
	}

	/**
	 * The connection the task was dispatched from, whose writes travel through the broker
	 * to the node that owns it.
	 */
	@Override
	public @Nullable Connection connection() {
		return this.connection;
	}

	@Override
	public synchronized void finish(Object result) {
		Objects.requireNonNull(result, "A finish result must not be null");
		if (this.ended) {
			throw new IllegalStateException(this + " has ended: with swoole.server.task-transport=amqp, finish"
					+ " is called while the @OnTask method runs");
		}
		if (this.sequence >= TaskMessages.MAX_SEQUENCE) {
			throw new IllegalStateException(this + " has sent " + TaskMessages.MAX_SEQUENCE
					+ " finish results, the most a task sends besides its last with swoole.server.task-transport=amqp");
		}
		send(TaskMessages.Kind.FINISH, result);
	}

	/**
	 * Ends the task with what its handler returned.
	 * @param result the returned value, or {@code null}
	 */
	synchronized void end(@Nullable Object result) {
		if (result != null) {
			send(TaskMessages.Kind.RESULT, result);
		}
		else {
			send(TaskMessages.Kind.END, null);
		}
		this.ended = true;
	}

	synchronized void fail(String reason) {
		try {
			this.replies.failed(this.id, this.sequence, this.workerId, reason);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.ended = true;
	}

	private void send(TaskMessages.Kind kind, @Nullable Object result) {
		try {
			this.replies.send(this.id, kind, this.sequence++, this.workerId, result);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return "Task[id=" + this.id + ", data=" + this.data.getClass().getName() + "]";
	}

	/**
	 * Sends the replies of a task to its origin.
	 */
	interface Replies {

		void send(long taskId, TaskMessages.Kind kind, int sequence, int workerId, @Nullable Object result)
				throws IOException;

		void failed(long taskId, int sequence, int workerId, String reason) throws IOException;

	}

}
