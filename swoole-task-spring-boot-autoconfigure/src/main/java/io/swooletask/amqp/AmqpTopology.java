package io.swooletask.amqp;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import io.swooletask.server.TaskQueueType;

/**
 * The broker objects of the task transport, declared by the application's
 * {@code RabbitAdmin} on every connection:
 * <ul>
 * <li>the work queue (durable, {@code swoole.server.amqp.task-queue}, a quorum queue
 * unless {@code queue-type} says classic) that every node with task workers consumes,
 * which dead-letters a task after {@code delivery-limit} deliveries if it is a quorum
 * queue;</li>
 * <li>its dead-letter exchange and queue ({@code <task-queue>.dlx},
 * {@code <task-queue>.dead}), which every node consumes to tell the origin of a dead task
 * that it failed;</li>
 * <li>this node's reply queue ({@code <task-queue>.replies.<node>}, named after the
 * node's random 128-bit id in hex, so that it is this node's alone), durable so that
 * replies outlive a broker restart, and deleted by the broker once unused for
 * {@code reply-queue-expiry}.</li>
 * </ul>
 *
 * @param taskQueue the work queue
 * @param queueType the type of the work queue
 * @param replyQueue this node's reply queue
 * @param deliveryLimit deliveries of a task before it is dead-lettered
 * @param replyQueueExpiry how long the reply queue lives unused
 */
record AmqpTopology(String taskQueue, TaskQueueType queueType, String replyQueue, int deliveryLimit,
		Duration replyQueueExpiry) {

	private static final String REPLIES = ".replies.";

	/** A node id: 128 bits in lowercase hex. */
	private static final Pattern NODE = Pattern.compile("[0-9a-f]{32}");

	static AmqpTopology of(String taskQueue, TaskQueueType queueType, String node, int deliveryLimit,
			Duration replyQueueExpiry) {
		if (!NODE.matcher(node).matches()) {
			throw new IllegalArgumentException("Node id " + node + " is not 128 bits in lowercase hex");
		}
		return new AmqpTopology(taskQueue, queueType, taskQueue + REPLIES + node, deliveryLimit, replyQueueExpiry);
	}

	/**
	 * Whether a queue is the reply queue of a node on this work queue, as {@link #of}
	 * names it: the only reply-to a task message may carry.
	 */
	boolean isReplyQueue(String queue) {
		String prefix = this.taskQueue + REPLIES;
		return queue.startsWith(prefix) && NODE.matcher(queue).region(prefix.length(), queue.length()).matches();
	}

	String deadLetterExchange() {
		return this.taskQueue + ".dlx";
	}

	String deadLetterQueue() {
		return this.taskQueue + ".dead";
	}

	Declarables declarables() {
		QueueBuilder taskQueue = QueueBuilder.durable(this.taskQueue)
			.deadLetterExchange(deadLetterExchange())
			.deadLetterRoutingKey(deadLetterQueue());
		Queue tasks = switch (this.queueType) {
			case QUORUM -> taskQueue.quorum().deliveryLimit(this.deliveryLimit).build();
			case CLASSIC -> taskQueue.classic().build();
		};
		DirectExchange dlx = new DirectExchange(deadLetterExchange());
		Queue dead = QueueBuilder.durable(deadLetterQueue()).build();
		Binding deadBinding = BindingBuilder.bind(dead).to(dlx).with(deadLetterQueue());
		Queue replies = QueueBuilder.durable(this.replyQueue).expires((int) this.replyQueueExpiry.toMillis()).build();
		return new Declarables(tasks, dlx, dead, deadBinding, replies);
	}

}
