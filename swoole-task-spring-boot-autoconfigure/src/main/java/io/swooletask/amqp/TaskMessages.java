package io.swooletask.amqp;

import java.util.HashMap;
import java.util.Map;

import com.rabbitmq.client.AMQP;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.MessageProperties;

/**
 * The messages between the nodes. A task goes to the work queue with its id, origin
 * worker, dispatch time and data type as headers, with what continues its trace when its
 * steps are observed, its data as JSON, and the reply queue of its origin. Each reply
 * goes to that queue with the task id, its {@link Kind}, a finish sequence number for
 * deduplication, the worker that ran it and the result type; the body is the result as
 * JSON, or the failure text.
 */
final class TaskMessages {

	static final String TASK_ID = "swoole-task-id";

	static final String TYPE = "swoole-type";

	static final String SRC_WORKER = "swoole-src-worker";

	static final String DISPATCH_TIME = "swoole-dispatch-time";

	static final String DEADLINE = "swoole-deadline";

	static final String KIND = "swoole-kind";

	static final String SEQUENCE = "swoole-seq";

	static final String WORKER = "swoole-worker";

	static final String FIRST_DEATH_REASON = "x-first-death-reason";

	/**
	 * The highest finish sequence number: a task sends at most this many finish results
	 * and its last.
	 */
	static final int MAX_SEQUENCE = 65535;

	private static final String JSON = "application/json";

	private static final int PERSISTENT = 2;

	/**
	 * What a reply says.
	 */
	enum Kind {

		/** A finish result; more may follow. */
		FINISH,

		/** The handler returned this result, its last finish; the task has ended. */
		RESULT,

		/** The handler returned no result; the task has ended. */
		END,

		/** The task failed; the body is the reason. The task has ended. */
		FAILED,

		/**
		 * The broker dead-lettered the task; the body is the reason. The task has ended.
		 */
		DEAD

	}

	private TaskMessages() {
	}

	static Map<String, Object> taskHeaders(long id, int srcWorkerId, long dispatchMillis, long deadlineMillis,
			String type) {
		Map<String, Object> headers = new HashMap<>(8);
		headers.put(TASK_ID, id);
		headers.put(SRC_WORKER, srcWorkerId);
		headers.put(DISPATCH_TIME, dispatchMillis);
		headers.put(DEADLINE, deadlineMillis);
		headers.put(TYPE, type);
		return headers;
	}

	static AMQP.BasicProperties task(Map<String, Object> headers, long id, String replyTo) {
		return new AMQP.BasicProperties.Builder().contentType(JSON)
			.deliveryMode(PERSISTENT)
			.messageId(Long.toString(id))
			.replyTo(replyTo)
			.headers(headers)
			.build();
	}

	static AMQP.BasicProperties reply(long id, Kind kind, int sequence, int workerId, @Nullable String type) {
		Map<String, Object> headers = new HashMap<>(5);
		headers.put(TASK_ID, id);
		headers.put(KIND, kind.name());
		headers.put(SEQUENCE, sequence);
		headers.put(WORKER, workerId);
		if (type != null) {
			headers.put(TYPE, type);
		}
		return new AMQP.BasicProperties.Builder().contentType((type != null) ? JSON : "text/plain")
			.deliveryMode(PERSISTENT)
			.headers(headers)
			.build();
	}

	/**
	 * A header holding a whole number.
	 * @throws MalformedMessageException if it is missing or holds something else
	 */
	static long longHeader(MessageProperties properties, String name) {
		Object value = properties.getHeader(name);
		if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
			return ((Number) value).longValue();
		}
		throw new MalformedMessageException(
				(value != null) ? name + " header is a " + value.getClass().getSimpleName() + ", not a whole number"
						: "no " + name + " header");
	}

	/**
	 * A header holding a whole number within bounds.
	 * @throws MalformedMessageException if it is missing, holds something else, or is out
	 * of bounds
	 */
	static int intHeader(MessageProperties properties, String name, int min, int max) {
		long value = longHeader(properties, name);
		if (value < min || value > max) {
			throw new MalformedMessageException(name + " header is " + value + ", not within " + min + ".." + max);
		}
		return (int) value;
	}

	/**
	 * What a reply says.
	 * @throws MalformedMessageException if its header is missing or names no {@link Kind}
	 */
	static Kind kind(MessageProperties properties) {
		String kind = requiredStringHeader(properties, KIND);
		try {
			return Kind.valueOf(kind);
		}
		catch (IllegalArgumentException ex) {
			throw new MalformedMessageException(KIND + " header is " + kind + ", not a kind of reply");
		}
	}

	/**
	 * A header that must be there.
	 * @throws MalformedMessageException if it is missing
	 */
	static String requiredStringHeader(MessageProperties properties, String name) {
		String value = stringHeader(properties, name);
		if (value == null) {
			throw new MalformedMessageException("no " + name + " header");
		}
		return value;
	}

	/**
	 * The queue a task's replies go to.
	 * @throws MalformedMessageException if the task names none, or one that is no node's
	 * reply queue
	 */
	static String replyTo(MessageProperties properties, AmqpTopology topology) {
		String replyTo = properties.getReplyTo();
		if (replyTo == null || replyTo.isEmpty()) {
			throw new MalformedMessageException("no reply-to");
		}
		if (!topology.isReplyQueue(replyTo)) {
			throw new MalformedMessageException("reply-to " + replyTo + " is no node's reply queue");
		}
		return replyTo;
	}

	/**
	 * When a task's origin gives up on it, in epoch milliseconds.
	 * @return the deadline, or {@link Long#MAX_VALUE} for a task without one
	 */
	static long deadline(MessageProperties properties) {
		return (properties.getHeader(DEADLINE) instanceof Number deadline) ? deadline.longValue() : Long.MAX_VALUE;
	}

	static @Nullable String stringHeader(MessageProperties properties, String name) {
		Object value = properties.getHeader(name);
		return (value != null) ? value.toString() : null;
	}

}
