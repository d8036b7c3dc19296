package io.swooletask.amqp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.TaskQueueType;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.FanoutExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;

/**
 * The broker objects of the task transport, declared by the application's
 * {@code RabbitAdmin} on every connection:
 * <ul>
 * <li>the work queue (durable, {@code swoole.server.amqp.task-queue}, a quorum queue
 * unless {@code queue-type} says classic) that every node with task workers consumes,
 * which dead-letters a task after {@code delivery-limit} deliveries if it is a quorum
 * queue;</li>
 * <li>the partitions of the ordered tasks ({@code <task-queue>.ordered.<n>}, as many as
 * {@code ordered-partitions}), each of the work queue's type, with a single active
 * consumer: a key always hashes to the same partition, so that one worker of one node at
 * a time takes its tasks, in order;</li>
 * <li>their dead-letter exchange and queue ({@code <task-queue>.dlx},
 * {@code <task-queue>.dead}), which every node consumes to tell the origin of a dead task
 * that it failed;</li>
 * <li>this node's reply queue ({@code <task-queue>.replies.<node>}, named after the
 * node's random 128-bit id in hex, so that it is this node's alone), durable so that
 * replies outlive a broker restart, and deleted by the broker once unused for
 * {@code reply-queue-expiry};</li>
 * <li>the fanout exchange of broadcasts ({@code <task-queue>.broadcast}), declared by
 * every node, since any node may broadcast;</li>
 * <li>on a node that serves clients, its node queue ({@code <task-queue>.node.<node>}):
 * exclusive and auto-delete, so that it goes when the node does, at most 65,536 writes
 * long (the oldest dropped first), and bound to the fanout exchange. It carries what
 * other nodes write to this node's connections.</li>
 * </ul>
 *
 * @param taskQueue the work queue
 * @param queueType the type of the work queue
 * @param node this node's id
 * @param deliveryLimit deliveries of a task before it is dead-lettered
 * @param replyQueueExpiry how long the reply queue lives unused
 * @param orderedPartitions how many partitions the ordered tasks are spread over
 * @param servesClients whether this node serves clients, and so has a node queue
 */
record AmqpTopology(String taskQueue, TaskQueueType queueType, String node, int deliveryLimit,
		Duration replyQueueExpiry, int orderedPartitions, boolean servesClients) {

	private static final String REPLIES = ".replies.";

	private static final String NODES = ".node.";

	private static final String ORDERED = ".ordered.";

	/**
	 * The writes a node queue holds at most, the oldest dropped first: a node that stops
	 * consuming costs the broker no more.
	 */
	private static final int NODE_QUEUE_MAX_LENGTH = 65_536;

	/** A node id: 128 bits in lowercase hex. */
	private static final Pattern NODE = Pattern.compile("[0-9a-f]{32}");

	AmqpTopology {
		if (!NODE.matcher(node).matches()) {
			throw new IllegalArgumentException("Node id " + node + " is not 128 bits in lowercase hex");
		}
	}

	String replyQueue() {
		return this.taskQueue + REPLIES + this.node;
	}

	/**
	 * Whether a queue is the reply queue of a node on this work queue: the only reply-to
	 * a task message may carry.
	 */
	boolean isReplyQueue(String queue) {
		return nodeOf(queue) != null;
	}

	/**
	 * The node whose reply queue a queue is.
	 * @return the node id, or {@code null} if the queue is no node's reply queue
	 */
	@Nullable String nodeOf(String replyQueue) {
		String prefix = this.taskQueue + REPLIES;
		if (replyQueue.startsWith(prefix)
				&& NODE.matcher(replyQueue).region(prefix.length(), replyQueue.length()).matches()) {
			return replyQueue.substring(prefix.length());
		}
		return null;
	}

	String nodeQueue() {
		return nodeQueue(this.node);
	}

	String nodeQueue(String node) {
		return this.taskQueue + NODES + node;
	}

	String broadcastExchange() {
		return this.taskQueue + ".broadcast";
	}

	String deadLetterExchange() {
		return this.taskQueue + ".dlx";
	}

	String deadLetterQueue() {
		return this.taskQueue + ".dead";
	}

	/**
	 * The partition of the ordered tasks a key's tasks go to, by the hash of the key's
	 * {@code toString()}: {@code String.hashCode} is the same in every JVM, where the
	 * {@code hashCode} of an enum or of a class that keeps {@code Object}'s is not.
	 * @param key the key
	 * @return the partition's queue
	 */
	String orderedQueue(Object key) {
		int hash = key.toString().hashCode();
		hash ^= (hash >>> 16);
		return orderedQueue(Math.floorMod(hash * 0x9E3779B9, this.orderedPartitions));
	}

	String orderedQueue(int partition) {
		return this.taskQueue + ORDERED + partition;
	}

	Declarables declarables() {
		List<Declarable> declarables = new ArrayList<>();
		declarables.add(taskQueue(this.taskQueue, false));
		for (int partition = 0; partition < this.orderedPartitions; partition++) {
			declarables.add(taskQueue(orderedQueue(partition), true));
		}
		DirectExchange dlx = new DirectExchange(deadLetterExchange());
		Queue dead = QueueBuilder.durable(deadLetterQueue()).build();
		declarables.add(dlx);
		declarables.add(dead);
		declarables.add(BindingBuilder.bind(dead).to(dlx).with(deadLetterQueue()));
		declarables.add(QueueBuilder.durable(replyQueue()).expires((int) this.replyQueueExpiry.toMillis()).build());
		FanoutExchange broadcasts = new FanoutExchange(broadcastExchange());
		declarables.add(broadcasts);
		if (this.servesClients) {
			Queue nodeQueue = QueueBuilder.nonDurable(nodeQueue())
				.exclusive()
				.autoDelete()
				.maxLength(NODE_QUEUE_MAX_LENGTH)
				.build();
			declarables.add(nodeQueue);
			declarables.add(BindingBuilder.bind(nodeQueue).to(broadcasts));
		}
		return new Declarables(declarables);
	}

	private Queue taskQueue(String name, boolean singleActiveConsumer) {
		QueueBuilder queue = QueueBuilder.durable(name)
			.deadLetterExchange(deadLetterExchange())
			.deadLetterRoutingKey(deadLetterQueue());
		if (singleActiveConsumer) {
			queue.singleActiveConsumer();
		}
		return switch (this.queueType) {
			case QUORUM -> queue.quorum().deliveryLimit(this.deliveryLimit).build();
			case CLASSIC -> queue.classic().build();
		};
	}

}
