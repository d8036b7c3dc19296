package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;

import io.swooletask.server.TaskFailedException;
import io.swooletask.server.TaskTimeoutException;
import io.swooletask.task.BackendTask;
import io.swooletask.task.TaskBackend;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.core.MessageProperties;

/**
 * The dispatching side of the transport: keeps each task dispatched here from its sending
 * until its end arrives on this node's reply queue, delivers each of its finish events
 * once, however often the task ran, and ends it at its last reply, or fails it when that
 * has not arrived within the reply timeout. A task holds its place in the capacity until
 * it ends.
 */
final class ReplyReceiver implements MessageListener {

	private static final Log logger = LogFactory.getLog(ReplyReceiver.class);

	private final TaskBackend.Context context;

	private final TaskCodec codec;

	private final Duration replyTimeout;

	private final PendingTasks<PendingReply> pending = new PendingTasks<>();

	private final LongAdder dropped = new LongAdder();

	private final LongAdder deadLettered = new LongAdder();

	private final LongAdder timedOut = new LongAdder();

	ReplyReceiver(TaskBackend.Context context, TaskCodec codec, Duration replyTimeout) {
		this.context = context;
		this.codec = codec;
		this.replyTimeout = replyTimeout;
	}

	/**
	 * Awaits the end of a task about to be sent.
	 * @param task the task
	 * @param startNanos when its reply timeout starts, in {@link System#nanoTime()}'s
	 * terms
	 * @return {@code false} if the task is refused because the node stops
	 */
	boolean await(BackendTask task, long startNanos) {
		return this.pending.add(task.id(), new PendingReply(task, startNanos + this.replyTimeout.toNanos()));
	}

	/**
	 * Whether a task's end is still awaited here.
	 * @param id the task's id
	 * @return whether it is
	 */
	boolean isAwaited(long id) {
		return this.pending.get(id) != null;
	}

	@Override
	public void onMessage(Message message) {
		MessageProperties properties = message.getMessageProperties();
		long id;
		try {
			id = TaskMessages.longHeader(properties, TaskMessages.TASK_ID);
		}
		catch (MalformedMessageException ex) {
			logger.warn("A malformed reply is dropped: " + ex.getMessage());
			return;
		}
		PendingReply pending = this.pending.get(id);
		if (pending == null) {
			dropUnawaited(properties);
			return;
		}
		try {
			handle(pending, message);
		}
		catch (RuntimeException ex) {
			fail(pending, "its reply cannot be read: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Drops a reply for a task not awaited here (any more): a late copy is counted, one
	 * that is not a reply at all is one warning.
	 */
	private void dropUnawaited(MessageProperties properties) {
		try {
			TaskMessages.kind(properties);
			this.dropped.increment();
		}
		catch (MalformedMessageException ex) {
			logger.warn("A malformed reply is dropped: " + ex.getMessage());
		}
	}

	private void handle(PendingReply pending, Message message) {
		MessageProperties properties = message.getMessageProperties();
		TaskMessages.Kind kind = TaskMessages.kind(properties);
		int workerId = TaskMessages.intHeader(properties, TaskMessages.WORKER, -1, Integer.MAX_VALUE);
		switch (kind) {
			case FINISH -> finish(pending, properties, workerId, message.getBody(), false);
			case RESULT -> finish(pending, properties, workerId, message.getBody(), true);
			case END -> {
				if (pending.claim()) {
					release(pending);
				}
			}
			case FAILED, DEAD -> {
				if (pending.claim()) {
					if (kind == TaskMessages.Kind.DEAD) {
						this.deadLettered.increment();
					}
					this.context.failed(pending.task(), workerId,
							new TaskFailedException(new String(message.getBody(), StandardCharsets.UTF_8), null));
					release(pending);
				}
			}
		}
	}

	/**
	 * Delivers a finish result once, however often it arrives, unless the task has ended;
	 * its last ends it.
	 */
	private void finish(PendingReply pending, MessageProperties properties, int workerId, byte[] body, boolean last) {
		int sequence = TaskMessages.intHeader(properties, TaskMessages.SEQUENCE, 0, TaskMessages.MAX_SEQUENCE);
		Object result;
		try {
			result = this.codec.readResult(body, TaskMessages.stringHeader(properties, TaskMessages.TYPE));
		}
		catch (ClassNotFoundException | RuntimeException ex) {
			String reason = (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage();
			fail(pending, "it finished, but its result cannot be read on the dispatching node: " + reason, ex);
			return;
		}
		Runnable delivery = () -> this.context.result(pending.task(), workerId, result);
		if (!last) {
			if (!pending.finish(sequence, delivery)) {
				this.dropped.increment();
			}
		}
		else if (pending.claim(sequence, delivery)) {
			release(pending);
		}
		else {
			this.dropped.increment();
		}
	}

	/**
	 * Fails a task whose reply cannot be acted on, with one warning (a refused type has
	 * had its own), and ends it.
	 */
	private void fail(PendingReply pending, String why, Exception ex) {
		String text = pending.task() + " fails: " + why;
		if (!(ex instanceof TrustedTypes.Refused)) {
			logger.warn(text);
		}
		if (pending.claim()) {
			this.context.failed(pending.task(), -1, new TaskFailedException(text, ex));
			release(pending);
		}
	}

	private void release(PendingReply pending) {
		BackendTask task = pending.task();
		this.pending.claim(task.id());
		this.context.ended(task);
	}

	/**
	 * Fails the tasks whose end has not arrived within the reply timeout.
	 * @param unsent drops those of them not yet sent, before their places are given back
	 */
	void expire(Consumer<Set<Long>> unsent) {
		long now = System.nanoTime();
		List<PendingReply> expired = this.pending.claimIf((pending) -> pending.expiredAt(now) && pending.claim());
		if (expired.isEmpty()) {
			return;
		}
		Set<Long> ids = new HashSet<>();
		for (PendingReply pending : expired) {
			ids.add(pending.task().id());
		}
		unsent.accept(ids);
		this.timedOut.add(expired.size());
		logger.warn(expired.size() + " tasks timed out: their end did not arrive within " + this.replyTimeout.toMillis()
				+ " ms (swoole.server.amqp.reply-timeout), first " + expired.get(0).task());
		for (PendingReply pending : expired) {
			this.context.failed(pending.task(), -1, new TaskTimeoutException(pending.task() + " did not end within "
					+ this.replyTimeout.toMillis() + " ms (swoole.server.amqp.reply-timeout)"));
			release(pending);
		}
	}

	/**
	 * Refuses the tasks dispatched from now on.
	 */
	void stop() {
		this.pending.stop();
	}

	/**
	 * Gives up on the tasks whose end has not arrived.
	 * @return those tasks, still holding their places, for the server to fail and end
	 */
	List<BackendTask> abandon() {
		List<BackendTask> unfinished = new ArrayList<>();
		for (PendingReply pending : this.pending.claimAll(PendingReply::claim)) {
			unfinished.add(pending.task());
		}
		return unfinished;
	}

	boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
		return this.context.awaitIdle(this.pending::isEmpty, timeout, unit);
	}

	boolean isIdle() {
		return this.pending.isEmpty();
	}

	int awaiting() {
		return this.pending.size();
	}

	long dropped() {
		return this.dropped.sum();
	}

	long deadLettered() {
		return this.deadLettered.sum();
	}

	long timedOut() {
		return this.timedOut.sum();
	}

}
