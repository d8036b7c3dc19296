package io.swooletask.amqp;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskBackend;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.ApplicationContext;
import io.swooletask.server.TaskQueueType;

/**
 * The task transport through RabbitMQ ({@code swoole.server.task-transport=amqp}):
 * creates the {@link TaskBackend} that sends this node's tasks to the shared work queue,
 * runs this node's task workers on it, and brings the replies back. Each node draws a
 * random 128-bit node id and names its reply queue after it, so that no two nodes share a
 * reply queue, nor a node and one restarted in its place while its reply queue lives on:
 * a node gets only the replies to its own tasks. A task id is unique on its node; its ids
 * count up from 20 bits of the node id shifted past 43 bits, which tells most nodes' ids
 * apart in logs and stays {@code long}.
 */
public final class AmqpTaskTransport implements TaskBackend.Factory {

	private static final int NODE_BITS = 20;

	private static final int COUNTER_BITS = 63 - NODE_BITS;

	private final ConnectionFactory connectionFactory;

	private final SimpleRabbitListenerContainerFactory simpleContainers;

	private final DirectRabbitListenerContainerFactory directContainers;

	private final AmqpAdmin admin;

	private final ObjectMapper mapper;

	private final ApplicationContext context;

	private final AmqpTopology topology;

	private final Settings settings;

	private final MessageObservations observations;

	private final String node;

	private final long firstId;

	private volatile @Nullable AmqpTaskBackend backend;

	/**
	 * Creates the transport.
	 * @param connectionFactory the application's RabbitMQ connections
	 * @param simpleContainers creates the listener containers of the task workers and of
	 * the dead letters, as Spring Boot's
	 * {@code SimpleRabbitListenerContainerFactoryConfigurer} set it up; the transport
	 * then sets what it relies on (see {@code docs/scale-out.md})
	 * @param directContainers creates the listener container of the replies, as Spring
	 * Boot's {@code DirectRabbitListenerContainerFactoryConfigurer} set it up; the
	 * transport then sets what it relies on
	 * @param admin declares the queues and exchanges
	 * @param mapper writes and reads task data and results
	 * @param context loads the types of task data and results, and holds the
	 * {@link #declarables()}
	 * @param settings the transport settings
	 * @param observations observes the sending and the delivery of tasks, so that their
	 * traces cross the broker
	 */
	public AmqpTaskTransport(ConnectionFactory connectionFactory, SimpleRabbitListenerContainerFactory simpleContainers,
			DirectRabbitListenerContainerFactory directContainers, AmqpAdmin admin, ObjectMapper mapper,
			ApplicationContext context, Settings settings, MessageObservations observations) {
		this.connectionFactory = connectionFactory;
		this.simpleContainers = simpleContainers;
		this.directContainers = directContainers;
		this.admin = admin;
		this.mapper = mapper;
		this.context = context;
		this.settings = settings;
		this.observations = observations;
		byte[] node = new byte[16];
		new SecureRandom().nextBytes(node);
		this.node = HexFormat.of().formatHex(node);
		this.firstId = ((long) (HexFormat.fromHexDigits(this.node, 0, 8) >>> (32 - NODE_BITS))) << COUNTER_BITS;
		this.topology = new AmqpTopology(settings.taskQueue(), settings.queueType(), this.node,
				settings.deliveryLimit(), settings.replyQueueExpiry(), settings.orderedPartitions(),
				settings.servesClients());
	}

	@Override
	public TaskBackend create(TaskBackend.Context context) {
		ClassLoader classLoader = this.context.getClassLoader();
		List<String> trustedPackages = this.settings.trustedPackages();
		TaskCodec codec = new TaskCodec(this.mapper, context::checkTaskData,
				TrustedTypes.forTaskData(context::taskDataTypes, trustedPackages, classLoader),
				TrustedTypes.forResults(context::resultTypes, trustedPackages, classLoader));
		ListenerContainers containers = new ListenerContainers(this.simpleContainers, this.directContainers, this.admin,
				this.context, this.settings.virtualThreads());
		AmqpTaskBackend backend = new AmqpTaskBackend(this.settings, this.connectionFactory, this.admin, containers,
				this.topology, codec, this.observations, context);
		this.backend = backend;
		return backend;
	}

	/**
	 * The queues, exchanges and bindings of the transport, this node's reply queue among
	 * them: as a bean, the application's {@code RabbitAdmin} declares them again on every
	 * new connection.
	 * @return the declarables
	 */
	public Declarables declarables() {
		return this.topology.declarables();
	}

	@Override
	public long firstId() {
		return this.firstId;
	}

	/**
	 * The name of this node's reply queue.
	 * @return the queue name
	 */
	public String replyQueue() {
		return this.topology.replyQueue();
	}

	/**
	 * Whether a connection to the broker is open, or can be opened now.
	 * @return whether the broker answers
	 */
	public boolean isBrokerUp() {
		try {
			return this.connectionFactory.createConnection().isOpen();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/**
	 * What the broker's health shows: the task queue, this node's reply queue and the
	 * tasks of this node whose end has not arrived.
	 * @return the details by name
	 */
	public Map<String, Object> brokerDetails() {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("taskQueue", this.topology.taskQueue());
		details.put("replyQueue", this.topology.replyQueue());
		details.put("awaitingReplies", counters().awaitingReplies());
		return details;
	}

	/**
	 * The transport's counters now, for its meters and reports, by name and in this
	 * order: the tasks this node {@code published} and the broker confirmed, those it
	 * {@code republished} after the broker did not confirm them, those its workers
	 * {@code consumed} and, of those, {@code redelivered} after a worker died on them or
	 * was stopped; the tasks of this node the broker {@code deadLettered}; the
	 * {@code duplicates}, replies dropped because their task had them already or had
	 * ended; the tasks of this node {@code timedOut} because their end did not arrive
	 * within the reply timeout; those {@code expired}, dropped unrun because their
	 * origin's reply timeout had passed; the {@code returned} replies of this node's
	 * workers, whose origin's reply queue was gone; the {@code refusedResults}, not read
	 * because their type is neither declared by a handler method nor trusted; each since
	 * the start; and the tasks of this node {@code awaitingReplies}, whose end has not
	 * arrived.
	 * @return the counts by name, all zero before the server is created
	 */
	public Map<String, Long> counts() {
		return counters().byName();
	}

	/**
	 * The transport's counters.
	 * @return the counters, all zero before the server is created
	 */
	AmqpTransportCounters counters() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.counters()
				: new AmqpTransportCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	}

	/**
	 * The tasks this node's publisher holds: waiting to be published, or not yet
	 * confirmed.
	 */
	int publisherHeld() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.publisherHeld() : 0;
	}

	/**
	 * The tasks this node's publisher did not send again after the broker refused them,
	 * because their origin awaited them no more: their end had come back, or they had
	 * timed out.
	 */
	long publisherSettled() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.publisherSettled() : 0;
	}

	/**
	 * The tasks waiting in this node's publisher to be published.
	 */
	int publisherOutgoing() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.publisherOutgoing() : 0;
	}

	/**
	 * The tasks this node's publisher published on its current channel and the broker has
	 * not confirmed.
	 */
	int publisherUnconfirmed() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.publisherUnconfirmed() : 0;
	}

	/**
	 * The channels this node's task workers and dead-letter consumer publish replies on,
	 * as tracked.
	 */
	int confirmingChannels() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.confirmingChannels() : 0;
	}

	/**
	 * The writes to the connections of other nodes that wait in this node's outbox for
	 * the broker.
	 */
	int outboxWaiting() {
		AmqpTaskBackend backend = this.backend;
		return (backend != null) ? backend.outboxWaiting() : 0;
	}

	/**
	 * The transport settings.
	 *
	 * @param taskQueue the shared work queue
	 * @param queueType the type of the work queue
	 * @param deliveryLimit deliveries of a task before the broker dead-letters it
	 * @param replyQueueExpiry how long a node's reply queue outlives the node
	 * @param confirmTimeout how long to wait for the broker to confirm a publish
	 * @param replyTimeout how long a task may wait for its end before it fails
	 * @param trustedPackages the packages whose types results may be read into, besides
	 * the types the handler methods declare
	 * @param virtualThreads whether the task workers run on virtual threads (Spring
	 * Boot's {@code spring.threads.virtual.enabled}, on Java 21 or later)
	 * @param orderedPartitions how many queues the ordered tasks are spread over, by key;
	 * 0 refuses {@code taskOrdered}
	 * @param servesClients whether this node serves clients (it listens), and so takes
	 * the broadcasts and the writes of other nodes to its connections
	 * @param maxWriteBytes the largest write to the connections of other nodes, the
	 * {@code buffer-output-size} that every connection applies
	 */
	public record Settings(String taskQueue, TaskQueueType queueType, int deliveryLimit, Duration replyQueueExpiry,
			Duration confirmTimeout, Duration replyTimeout, List<String> trustedPackages, boolean virtualThreads,
			int orderedPartitions, boolean servesClients, int maxWriteBytes) {

	}

}
