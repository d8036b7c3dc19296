package io.swooletask.amqp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.Connection;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.task.BackendTask;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskBackend;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Declarable;
import org.springframework.amqp.core.Exchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Runs tasks on the task workers of any node through RabbitMQ. On the dispatching side,
 * {@code task()} writes the data as JSON on the calling thread (so data that cannot be
 * written fails there), and the {@link TaskPublisher} sends it; the {@link ReplyReceiver}
 * awaits its end on this node's reply queue. On the working side, the
 * {@link RemoteTaskWorkers} run tasks from every node, and a {@link DeadTaskReporter}
 * fails the tasks the broker gave up on. Writes to the connections of other nodes, and
 * broadcasts, leave through the {@link NodeOutbox}; on a node that serves clients, the
 * {@link NodeMessageReceiver} applies those of other nodes to its connections.
 */
final class AmqpTaskBackend implements TaskBackend {

	private static final Log logger = LogFactory.getLog(AmqpTaskBackend.class);

	private static final int REPLIES_PER_ACK = 50;

	private static final long NODE_QUEUE_CHECK_MILLIS = 1_000;

	private final TaskCodec codec;

	private final AmqpTopology topology;

	private final TaskPublisher publisher;

	private final ReplyReceiver receiver;

	private final ReplyDeadlines deadlines;

	private final ReturnedReplies returned = new ReturnedReplies();

	private final ConfirmingChannels channels;

	private final @Nullable RemoteTaskWorkers workers;

	private final DirectMessageListenerContainer replies;

	private final SimpleMessageListenerContainer deadTasks;

	private final DeadTaskReporter deadTaskReporter;

	private final NodeOutbox outbox;

	private final @Nullable NodeMessageReceiver nodeMessages;

	private final @Nullable DirectMessageListenerContainer nodeQueue;

	private final ConnectionFactory connectionFactory;

	private final AmqpAdmin admin;

	private final MessageObservations observations;

	private final long replyTimeoutMillis;

	/**
	 * Creates the backend of a node's tasks.
	 * @param settings the transport settings
	 * @param connectionFactory the application's RabbitMQ connections
	 * @param admin declares the topology
	 * @param containers creates the listener containers
	 * @param topology the queues and exchanges
	 * @param codec writes and reads task data and results
	 * @param observations observes the sending and the delivery of tasks
	 * @param context runs the tasks this node's workers take, and takes the outcomes of
	 * those it dispatched
	 */
	AmqpTaskBackend(AmqpTaskTransport.Settings settings, ConnectionFactory connectionFactory, AmqpAdmin admin,
			ListenerContainers containers, AmqpTopology topology, TaskCodec codec, MessageObservations observations,
			TaskBackend.Context context) {
		this.codec = codec;
		this.topology = topology;
		this.connectionFactory = connectionFactory;
		this.admin = admin;
		this.observations = observations;
		int workerNum = Math.max(0, context.settings().workerNum());
		this.replyTimeoutMillis = settings.replyTimeout().toMillis();
		this.receiver = new ReplyReceiver(context, this.codec, settings.replyTimeout());
		this.publisher = new TaskPublisher(this.connectionFactory, this.topology.taskQueue(), settings.confirmTimeout(),
				ReplyDeadlines.lateness(settings.replyTimeout()), this.receiver::isAwaited);
		this.deadlines = new ReplyDeadlines(settings.replyTimeout(),
				() -> this.receiver.expire(this.publisher::discard));
		this.channels = new ConfirmingChannels(this.returned);
		this.outbox = new NodeOutbox(connectionFactory, topology, settings.maxWriteBytes());
		this.workers = (workerNum > 0) ? new RemoteTaskWorkers(containers, this.topology, workerNum, context,
				this.codec, this.channels, this.observations, this.outbox) : null;
		this.nodeMessages = topology.servesClients() ? new NodeMessageReceiver(context.connections()) : null;
		// one acknowledgement per node message: with several at once, Spring AMQP 4.1's
		// container check can send one a second time, which the broker answers by closing
		// the channel, and the exclusive node queue goes with it
		this.nodeQueue = (this.nodeMessages != null)
				? containers.createDirect("swoole-node-messages", topology.nodeQueue(), 1, this.nodeMessages) : null;
		if (this.nodeQueue != null) {
			// a broken connection takes the exclusive node queue with it; the clients
			// here
			// hear nothing until this check restarts the consumer of the queue declared
			// again
			this.nodeQueue.setMonitorInterval(NODE_QUEUE_CHECK_MILLIS);
		}
		this.replies = containers.createDirect("swoole-task-replies", this.topology.replyQueue(), REPLIES_PER_ACK,
				this.receiver);
		this.deadTaskReporter = new DeadTaskReporter(this.codec, this.topology, this.channels);
		this.deadTasks = containers.create("swoole-dead-tasks", "swoole-task-dead-", this.topology.deadLetterQueue(), 1,
				1, (thread) -> thread, this.deadTaskReporter);
	}

	/**
	 * Declares the topology, for an admin that does not find it among the application's
	 * beans, and starts publishing and consuming.
	 */
	@Override
	public void start() {
		for (Declarable declarable : this.topology.declarables().getDeclarables()) {
			if (declarable instanceof Queue queue) {
				this.admin.declareQueue(queue);
			}
			else if (declarable instanceof Exchange exchange) {
				this.admin.declareExchange(exchange);
			}
			else if (declarable instanceof Binding binding) {
				this.admin.declareBinding(binding);
			}
		}
		this.publisher.start();
		this.outbox.start();
		if (this.nodeQueue != null) {
			this.nodeQueue.start();
		}
		this.replies.start();
		this.deadTasks.start();
		this.deadlines.start();
		if (this.workers != null) {
			this.workers.start();
		}
	}

	/**
	 * Hands the broadcast to the broker, which carries it to every node that serves
	 * clients, this one among them; each writes it to its open connections.
	 * @return 0: the connections take it later, on their nodes, each of which counts
	 * those that did not
	 * @throws IllegalStateException naming the reason if it is refused: larger than
	 * {@code buffer-output-size}, this node stops, or too many writes to other nodes wait
	 * for the broker already
	 */
	@Override
	public int broadcast(byte[] data) {
		this.outbox.broadcast(data);
		return 0;
	}

	@Override
	public void checkOrdered() {
		if (this.topology.orderedPartitions() == 0) {
			throw new UnsupportedOperationException("taskOrdered(key, data) needs queues to order tasks on, and"
					+ " swoole.server.amqp.ordered-partitions is 0. Set it to 1 or more on every node.");
		}
	}

	@Override
	public void checkTarget(int dstWorkerId) {
		if (dstWorkerId != -1) {
			throw new UnsupportedOperationException("task(data, dstWorkerId) targets a task worker of one node, but"
					+ " with swoole.server.task-transport=amqp a task runs on whichever node takes it from the queue."
					+ " Use task(data), or the local transport to target workers.");
		}
	}

	/**
	 * Sends a task. Its send observation starts before the task is awaited, so that an
	 * observation that fails leaves nothing to take back; once awaited, the task is only
	 * queued for the publisher, and a failure to close the observation is logged, not
	 * thrown: the task is sent. Its reply timeout and its message's deadline are counted
	 * from one instant.
	 */
	@Override
	public void submit(BackendTask task) {
		byte[] body = this.codec.write(task.data(), "Task data");
		long startNanos = System.nanoTime();
		long deadlineMillis = System.currentTimeMillis() + this.replyTimeoutMillis;
		Map<String, Object> headers = TaskMessages.taskHeaders(task.id(), task.srcWorkerId(),
				task.dispatchTime().toEpochMilli(), deadlineMillis, task.data().getClass().getName());
		Connection connection = task.connection();
		if (connection != null) {
			RemoteConnection.describe(connection, headers);
		}
		Object orderKey = task.orderKey();
		String queue = (orderKey != null) ? this.topology.orderedQueue(orderKey) : this.topology.taskQueue();
		MessageObservations.Step step = this.observations.send(task, task.parentObservation(), headers);
		if (!this.receiver.await(task, startNanos)) {
			ServerShutdownException refused = new ServerShutdownException(
					task + " was not sent: the server is stopping");
			step.error(refused);
			step.close();
			throw refused;
		}
		try {
			this.publisher.publish(queue, task.id(), TaskMessages.task(headers, task.id(), this.topology.replyQueue()),
					body, deadlineMillis);
		}
		finally {
			try {
				step.close();
			}
			catch (RuntimeException ex) {
				logger.warn(task + " failed in closing its send observation; the task is sent", ex);
			}
		}
	}

	@Override
	public int workerNum() {
		return (this.workers != null) ? this.workers.workerNum() : 0;
	}

	@Override
	public int running() {
		return (this.workers != null) ? this.workers.running() : 0;
	}

	/**
	 * Waits until every task dispatched here has ended. The workers here go on taking
	 * tasks meanwhile, since they may be the ones that run them.
	 */
	@Override
	public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
		return this.receiver.awaitIdle(timeout, unit);
	}

	@Override
	public boolean isIdle() {
		return this.receiver.isIdle();
	}

	/**
	 * Whether the containers run; not whether the broker answers, which the
	 * {@code swooleBroker} health tells apart: an outage of the broker is not one of the
	 * server.
	 */
	@Override
	public boolean isAlive() {
		return this.replies.isRunning() && (this.workers == null || this.workers.isRunning());
	}

	@Override
	public List<BackendTask> runningTasks() {
		return List.of();
	}

	/**
	 * Refuses new tasks, stops consuming tasks and lets the running ones finish and be
	 * acknowledged (what does not finish in time goes back to the queue), then stops
	 * receiving replies and publishing. Each of these waits only for what is left until
	 * the deadline.
	 * @return the tasks dispatched here whose end has not arrived
	 */
	@Override
	public List<BackendTask> stop(long deadlineNanos) {
		StopDeadline deadline = new StopDeadline(deadlineNanos);
		this.receiver.stop();
		if (this.workers != null) {
			this.workers.stop(deadline);
		}
		stop(this.deadTasks, deadline);
		stop(this.replies, deadline);
		this.deadlines.stop();
		this.publisher.stop(deadline);
		this.outbox.stop(deadline);
		if (this.nodeQueue != null) {
			stop(this.nodeQueue, deadline);
		}
		return this.receiver.abandon();
	}

	/**
	 * Stops a container of replies or dead letters: what it has not handled by the
	 * deadline concerns tasks the stop gives up on, so its consumers end on their own
	 * instead of having their channels closed under them.
	 */
	private static void stop(AbstractMessageListenerContainer container, StopDeadline deadline) {
		container.setForceCloseChannel(false);
		container.setShutdownTimeout(deadline.remainingMillis());
		container.stop();
	}

	@Override
	public Map<String, Object> details() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("transport", "amqp");
		details.put("taskQueue", this.topology.taskQueue());
		details.put("replyQueue", this.topology.replyQueue());
		details.put("awaitingReplies", this.receiver.awaiting());
		return details;
	}

	int publisherHeld() {
		return this.publisher.held();
	}

	long publisherSettled() {
		return this.publisher.settled();
	}

	int publisherOutgoing() {
		return this.publisher.outgoing();
	}

	int publisherUnconfirmed() {
		return this.publisher.unconfirmed();
	}

	int outboxWaiting() {
		return this.outbox.waiting();
	}

	int confirmingChannels() {
		return this.channels.size();
	}

	AmqpTransportCounters counters() {
		return new AmqpTransportCounters(this.publisher.published(), this.publisher.republished(),
				(this.workers != null) ? this.workers.consumed() : 0,
				(this.workers != null) ? this.workers.redelivered() : 0, this.receiver.deadLettered(),
				this.receiver.dropped(), this.receiver.timedOut(),
				this.publisher.expired() + ((this.workers != null) ? this.workers.expired() : 0)
						+ this.deadTaskReporter.expired(),
				this.returned.returned(), this.codec.resultTypes().refused(), this.receiver.awaiting(),
				this.outbox.refused(), this.outbox.returned(),
				(this.nodeMessages != null) ? this.nodeMessages.missed() : 0);
	}

}
