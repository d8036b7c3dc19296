package io.swooletask.amqp;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

import io.swooletask.server.ServerShutdownException;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskBackend;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.util.Assert;

/**
 * The task workers of a node: {@code task-worker-num} consumers of the work queue, each
 * running one task at a time and holding up to its prefetch
 * ({@code spring.rabbitmq.listener.simple.prefetch}) of unacknowledged tasks, running the
 * {@code @OnTask} methods; and one consumer of each partition of the ordered tasks, with
 * the worker ids after those, of which the broker lets one node's at a time take the
 * partition's tasks, in order. A task is acknowledged only after its handler ran and the
 * broker confirmed its replies, but the worker does not wait for that: it takes its next
 * task while the {@link ConfirmedAcks} of its channel acknowledge the ones confirmed. A
 * worker that dies before then leaves its tasks to be delivered again, to another node. A
 * task that throws is reported to its origin as failed and not delivered again, unless it
 * threw because the node is stopping (its own {@code task()} refused): it goes back to
 * the queue.
 */
final class RemoteTaskWorkers implements ChannelAwareMessageListener {

	private static final Log logger = LogFactory.getLog(RemoteTaskWorkers.class);

	private final List<SimpleMessageListenerContainer> containers = new ArrayList<>();

	private final TaskBackend.Context context;

	private final TaskCodec codec;

	private final AmqpTopology topology;

	private final int workerNum;

	private final ConfirmingChannels channels;

	private final MessageObservations observations;

	private final NodeOutbox outbox;

	/**
	 * The ids no consumer thread of the work queue holds now: each thread takes one for
	 * its life as a worker.
	 */
	private final BlockingQueue<Integer> freeWorkerIds;

	/** The id of the consumer of each partition of the ordered tasks, while free. */
	private final List<BlockingQueue<Integer>> freeOrderedIds = new ArrayList<>();

	private final PartitionHandover handover;

	private final ThreadLocal<Integer> workerIds = new ThreadLocal<>();

	private final AtomicInteger running = new AtomicInteger();

	private volatile @Nullable StopDeadline stopping;

	private final LongAdder consumed = new LongAdder();

	private final LongAdder redelivered = new LongAdder();

	private final LongAdder expired = new LongAdder();

	RemoteTaskWorkers(ListenerContainers containers, AmqpTopology topology, int workerNum, TaskBackend.Context context,
			TaskCodec codec, ConfirmingChannels channels, MessageObservations observations, NodeOutbox outbox) {
		this.context = context;
		this.outbox = outbox;
		this.handover = new PartitionHandover(outbox);
		this.channels = channels;
		this.observations = observations;
		this.codec = codec;
		this.topology = topology;
		this.workerNum = workerNum;
		this.freeWorkerIds = new ArrayBlockingQueue<>(Math.max(1, workerNum));
		for (int id = 0; id < workerNum; id++) {
			this.freeWorkerIds.add(id);
		}
		this.containers.add(containers.create("swoole-task-workers", "swoole-task-worker-", topology.taskQueue(),
				workerNum, null, (consumer) -> asWorker(consumer, this.freeWorkerIds), this));
		for (int partition = 0; partition < topology.orderedPartitions(); partition++) {
			BlockingQueue<Integer> id = new ArrayBlockingQueue<>(1);
			id.add(workerNum + partition);
			this.freeOrderedIds.add(id);
			this.containers.add(containers.create("swoole-ordered-task-workers-" + partition,
					"swoole-task-worker-ordered-" + partition + "-", topology.orderedQueue(partition), 1, null,
					(consumer) -> asWorker(consumer, id), this));
		}
	}

	/**
	 * Runs a consumer as a task worker: with a worker id no other consumer holds, between
	 * its {@code @OnWorkerStart} and its {@code @OnWorkerStop}. The container starts a
	 * consumer's replacement (after a lost connection) before the consumer has ended: the
	 * replacement waits for the id until the consumer has stopped as a worker, so that a
	 * worker id is never held twice and stops before it starts again.
	 */
	private Runnable asWorker(Runnable consumer, BlockingQueue<Integer> freeIds) {
		return () -> {
			Integer workerId;
			try {
				workerId = freeIds.take();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			this.workerIds.set(workerId);
			this.context.workerStarted(workerId);
			try {
				consumer.run();
			}
			finally {
				this.context.workerStopped(workerId);
				this.workerIds.remove();
				freeIds.add(workerId);
			}
		};
	}

	void start() {
		this.containers.forEach(SimpleMessageListenerContainer::start);
	}

	/**
	 * Stops consuming, lets the running tasks finish and acknowledges them once their
	 * replies are confirmed. The tasks taken ahead and not started go back to the queue
	 * for another node at once, unrun, and so do the running ones not finished by the
	 * deadline.
	 * @param deadline when the node's stop must be over
	 */
	void stop(StopDeadline deadline) {
		this.stopping = deadline;
		this.handover.handOver(deadline, this.channels);
		try {
			this.channels.awaitAcknowledged(deadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		long remainingMillis = deadline.remainingMillis();
		int running = this.running.get();
		if (running > 0) {
			logger.info(running + " tasks running on this node's task workers have " + remainingMillis
					+ " ms left to finish (swoole.server.shutdown-timeout); then they go back to the queue");
		}
		// the partitions' containers first, which hold nothing now, so that none restarts
		// a consumer whose channel the handover closed while the work queue's drains
		for (int i = this.containers.size() - 1; i >= 0; i--) {
			SimpleMessageListenerContainer container = this.containers.get(i);
			container.setShutdownTimeout(deadline.remainingMillis());
			container.stop();
		}
		awaitWorkersStopped(this.freeWorkerIds, this.workerNum, deadline);
		for (BlockingQueue<Integer> id : this.freeOrderedIds) {
			awaitWorkersStopped(id, 1, deadline);
		}
	}

	/**
	 * Waits until the deadline for every consumer to have stopped as a worker: the
	 * container's stop returns once they stopped consuming, a moment before their
	 * {@code @OnWorkerStop}.
	 */
	private static void awaitWorkersStopped(BlockingQueue<Integer> freeIds, int workers, StopDeadline deadline) {
		List<Integer> stopped = new ArrayList<>();
		try {
			while (stopped.size() < workers) {
				Integer id = freeIds.poll(deadline.remainingNanos(), TimeUnit.NANOSECONDS);
				if (id == null) {
					return;
				}
				stopped.add(id);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			freeIds.addAll(stopped);
		}
	}

	boolean isRunning() {
		return this.containers.stream().allMatch(SimpleMessageListenerContainer::isRunning);
	}

	int workerNum() {
		return this.workerNum;
	}

	int running() {
		return this.running.get();
	}

	long consumed() {
		return this.consumed.sum();
	}

	long redelivered() {
		return this.redelivered.sum();
	}

	long expired() {
		return this.expired.sum();
	}

	@Override
	public void onMessage(Message message, @Nullable Channel channel) throws Exception {
		Assert.notNull(channel, "A task worker's listener container must pass its channel");
		if (this.workerIds.get() < this.workerNum) {
			take(message, channel);
			return;
		}
		try {
			if (this.handover.enter(channel)) {
				take(message, channel);
			}
			else {
				StopDeadline stopping = this.stopping;
				Assert.state(stopping != null, "The partitions are handed over as the node stops");
				this.handover.giveBack(channel, this.channels.acks(channel), stopping);
			}
		}
		finally {
			this.handover.exit();
		}
	}

	private void take(Message message, Channel channel) throws IOException, InterruptedException {
		if (this.stopping != null) {
			return; // taken ahead and not started: back to the queue, unacknowledged,
					// when the channel closes
		}
		MessageProperties properties = message.getMessageProperties();
		this.consumed.increment();
		if (Boolean.TRUE.equals(properties.getRedelivered())) {
			this.redelivered.increment();
		}
		ConfirmedAcks acks = this.channels.acks(channel);
		TaskHeaders headers;
		try {
			headers = TaskHeaders.of(properties, this.topology, this.outbox);
		}
		catch (MalformedMessageException ex) {
			logger.warn("A malformed task message is rejected, not run: " + ex.getMessage() + " (message id "
					+ properties.getMessageId() + ")");
			acks.discard(properties.getDeliveryTag());
			return;
		}
		if (System.currentTimeMillis() >= TaskMessages.deadline(properties)) {
			this.expired.increment();
			logger.debug("Task " + headers.id() + " is dropped, not run: its origin's reply timeout has passed");
			acks.settle(properties.getDeliveryTag(), acks.nextSequence());
			return;
		}
		ChannelReplies replies = new ChannelReplies(channel, acks, properties.getDeliveryTag(), headers.replyTo(),
				this.codec);
		RemoteTask task = read(message, headers, replies);
		if (task != null && !deliver(task, properties)) {
			return;
		}
		replies.settle();
		StopDeadline stopping = this.stopping;
		if (stopping != null) {
			acks.awaitAcknowledged(stopping); // before the container recovers the
												// channel's unacknowledged tasks
		}
	}

	private @Nullable RemoteTask read(Message message, TaskHeaders headers, ChannelReplies replies) throws IOException {
		int workerId = this.workerIds.get();
		try {
			Object data = this.codec.readTask(message.getBody(), headers.type());
			return new RemoteTask(headers.id(), headers.srcWorkerId(), workerId, data, headers.dispatchTime(), replies,
					headers.connection());
		}
		catch (ClassNotFoundException | RuntimeException ex) {
			String reason = (ex instanceof JacksonException jackson) ? jackson.getOriginalMessage() : ex.getMessage();
			if (!(ex instanceof TrustedTypes.Refused)) { // a refused type has had its own
															// warning
				logger.warn("Task " + headers.id() + " cannot be read, and fails: " + reason);
			}
			replies.failed(headers.id(), 0, workerId,
					"Task " + headers.id() + " cannot be read on the worker node: " + reason);
			return null;
		}
	}

	/**
	 * Runs a task in the observation of its delivery, which continues the trace its
	 * headers carry.
	 */
	private boolean deliver(RemoteTask task, MessageProperties properties) {
		MessageObservations.Step step = this.observations.deliver(properties.getHeaders());
		try {
			return run(task);
		}
		finally {
			step.close();
		}
	}

	/**
	 * Runs a task and sends its end.
	 * @return whether it ended; {@code false} when it was cut short by the node stopping,
	 * in which case it stays unacknowledged and goes back to the queue when the channel
	 * closes
	 */
	private boolean run(RemoteTask task) {
		this.running.incrementAndGet();
		try {
			long queueWait = TimeUnit.MILLISECONDS
				.toNanos(Math.max(0, System.currentTimeMillis() - task.dispatchTime().toEpochMilli()));
			Object result;
			try {
				result = this.context.run(task, queueWait);
			}
			catch (Throwable ex) {
				boolean interrupted = ex instanceof InterruptedException || Thread.currentThread().isInterrupted();
				if (this.stopping != null && interrupted) {
					logger.info(task + " was interrupted by the node stopping; it goes back to the queue");
					return false;
				}
				if (ex instanceof ServerShutdownException && isStopping()) {
					logger.info(task + " could not dispatch a task, the node stopping; it goes back to the queue");
					return false;
				}
				task.fail(ex.toString());
				return true;
			}
			try {
				task.end(result);
			}
			catch (IllegalArgumentException ex) {
				String reason = ex.getMessage();
				task.fail((reason != null) ? reason : ex.toString());
			}
			return true;
		}
		finally {
			this.running.decrementAndGet();
		}
	}

	/**
	 * Whether this node is stopping: its workers are, or it admits no more tasks.
	 */
	private boolean isStopping() {
		return this.stopping != null || this.context.isClosed();
	}

	/**
	 * What a task message must carry besides its data.
	 */
	private record TaskHeaders(long id, int srcWorkerId, Instant dispatchTime, String type, String replyTo,
			@Nullable RemoteConnection connection) {

		static TaskHeaders of(MessageProperties properties, AmqpTopology topology, NodeOutbox outbox) {
			long id = TaskMessages.longHeader(properties, TaskMessages.TASK_ID);
			int srcWorkerId = TaskMessages.intHeader(properties, TaskMessages.SRC_WORKER, -1, Integer.MAX_VALUE);
			Instant dispatchTime = Instant
				.ofEpochMilli(TaskMessages.longHeader(properties, TaskMessages.DISPATCH_TIME));
			String type = TaskMessages.requiredStringHeader(properties, TaskMessages.TYPE);
			String replyTo = TaskMessages.replyTo(properties, topology);
			String node = topology.nodeOf(replyTo);
			Assert.state(node != null, "A reply-to is a node's reply queue");
			return new TaskHeaders(id, srcWorkerId, dispatchTime, type, replyTo,
					RemoteConnection.of(properties, node, outbox));
		}

	}

}
