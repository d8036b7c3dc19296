package io.swooletask.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.swooletask.server.PackageLengthType;
import io.swooletask.server.Shutdown;
import io.swooletask.server.TaskOverflow;
import io.swooletask.server.TaskQueueType;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Settings of the Swoole task server, under {@code swoole.server}: Swoole's setting names
 * in kebab-case; Swoole's own snake_case keys bind too.
 */
@ConfigurationProperties(prefix = "swoole.server", ignoreUnknownFields = false)
public class SwooleServerProperties implements Validator {

	private static final Validator validator = new SwooleServerPropertiesValidator();

	/**
	 * Whether to start the server.
	 */
	private boolean enabled = true;

	/**
	 * Address to listen on.
	 */
	private String host = "127.0.0.1";

	/**
	 * Port to listen on; 0 picks a free port, published as 'local.swoole.server.port'.
	 */
	private int port = 9501;

	/**
	 * Whether to accept TCP connections. Off, the server runs only its task pool, as a
	 * web application that hands work to task workers does (no @OnReceive method has the
	 * same effect); with task-transport 'amqp', the node then runs task workers for the
	 * other nodes, or only dispatches.
	 */
	private boolean listen = true;

	/**
	 * Number of event loops (Swoole workers) that do the I/O and run the connection
	 * events. Defaults to the number of available processors.
	 */
	private int workerNum = Runtime.getRuntime().availableProcessors();

	/**
	 * Number of task worker threads; 0 for none. Unset, one per available processor when
	 * an @OnTask method is declared (with the local transport), else none.
	 */
	private @Nullable Integer taskWorkerNum;

	/**
	 * Where tasks run: 'local', on this process's task workers, or 'amqp', on the task
	 * workers of any node sharing a RabbitMQ work queue (needs spring-boot-starter-amqp
	 * and Jackson).
	 */
	private TaskTransport taskTransport = TaskTransport.LOCAL;

	/**
	 * Number of tasks a task worker thread runs before a fresh thread takes its place; 0
	 * for never.
	 */
	private int taskMaxRequest;

	/**
	 * Up to how many tasks more than 'task-max-request' a worker thread runs, drawn at
	 * random per thread so that workers do not retire together.
	 */
	private int taskMaxRequestGrace;

	/**
	 * Most tasks waiting to run, queued together; the intake is stopped when it fills up.
	 */
	private int taskQueueCapacity = 10_000;

	/**
	 * What task() does when the task queue is full: 'backpressure' stops reading from
	 * connections (and makes other threads wait up to 'task-enqueue-timeout'), 'reject'
	 * throws TaskRejectedException.
	 */
	private TaskOverflow taskOverflow = TaskOverflow.BACKPRESSURE;

	/**
	 * How long task() called off an event loop waits for room in a full task queue before
	 * it throws TaskRejectedException; a bare number is seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration taskEnqueueTimeout = Duration.ofSeconds(5);

	/**
	 * Whether to cut the byte stream into messages at 'package-eof', stripping it.
	 */
	private boolean openEofSplit;

	/**
	 * Whether to cut messages at 'package-eof'. Behaves as 'open-eof-split': every
	 * message is one delimited frame, where Swoole would hand over several frames that
	 * arrived in one read.
	 */
	private boolean openEofCheck;

	/**
	 * Delimiter of messages for 'open-eof-split' and 'open-eof-check', 1 to 8 bytes.
	 */
	private String packageEof = "\r\n";

	/**
	 * Whether to cut the byte stream into length-prefixed frames, described by
	 * 'package-length-type', 'package-length-offset' and 'package-body-offset'; messages
	 * are the bodies.
	 */
	private boolean openLengthCheck;

	/**
	 * Type of the length field, as a PHP pack() code: c, C (8 bits), s, S (16 bits,
	 * little-endian), n (16 bits, big-endian), N (32 bits, big-endian), l, L (32 bits,
	 * little-endian), v (16 bits, little-endian), V (32 bits, little-endian); lowercase
	 * c, s and l are signed.
	 */
	private PackageLengthType packageLengthType = PackageLengthType.N;

	/**
	 * Where the length field starts in a frame, in bytes.
	 */
	private int packageLengthOffset;

	/**
	 * Where the body starts in a frame, in bytes; a frame is this plus the length value
	 * long. 0 means the length counts the whole frame, header included.
	 */
	private int packageBodyOffset = 4;

	/**
	 * Longest frame accepted, header or delimiter included; a longer frame or
	 * unterminated line closes its connection.
	 */
	private DataSize packageMaxLength = DataSize.ofMegabytes(2);

	/**
	 * Most connections open at once; a connection past it is closed as soon as it is
	 * accepted.
	 */
	private int maxConn = 100_000;

	/**
	 * Length of the queue of connections waiting to be accepted.
	 */
	private int backlog = 512;

	/**
	 * Whether to send small writes at once (TCP_NODELAY) instead of batching them
	 * (Nagle).
	 */
	private boolean openTcpNodelay = true;

	/**
	 * Whether the event loops use the native transport (epoll on Linux) where it is
	 * available, instead of Java NIO. Off by default: Netty 4.2's epoll transport can
	 * lose the replies still queued for a client that half-closed (see
	 * docs/reliability.md).
	 */
	private boolean nativeTransport;

	/**
	 * How long a connection may send no complete message before it is closed, not
	 * counting the time the server held it back (reading paused, its tasks running); a
	 * bare number is seconds. Defaults to twice 'heartbeat-check-interval' when only that
	 * is set; unset, no limit.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration heartbeatIdleTime;

	/**
	 * Swoole's interval between idle scans; a bare number is seconds. Each connection is
	 * checked at its own deadline here, so this only sets the default of
	 * 'heartbeat-idle-time'.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration heartbeatCheckInterval;

	/**
	 * Most output a connection may have pending; a send that would exceed it returns
	 * false, and a single message larger than it is never sent. Twice the default
	 * 'package-max-length', so that a reply a little larger than the largest message
	 * accepted still goes through.
	 */
	private DataSize bufferOutputSize = DataSize.ofMegabytes(4);

	/**
	 * Longest time a graceful shutdown may take to drain tasks and flush replies; a bare
	 * number is seconds.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration shutdownTimeout = Duration.ofSeconds(30);

	/**
	 * How the server stops: graceful (within shutdown-timeout) or immediate, as
	 * server.shutdown.
	 */
	private Shutdown shutdown = Shutdown.GRACEFUL;

	private final Ssl ssl = new Ssl();

	private final Amqp amqp = new Amqp();

	private final Observations observations = new Observations();

	private final Logging logging = new Logging();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getHost() {
		return this.host;
	}

	public void setHost(String host) {
		this.host = host;
	}

	public int getPort() {
		return this.port;
	}

	public void setPort(int port) {
		this.port = port;
	}

	public int getWorkerNum() {
		return this.workerNum;
	}

	public void setWorkerNum(int workerNum) {
		this.workerNum = workerNum;
	}

	public @Nullable Integer getTaskWorkerNum() {
		return this.taskWorkerNum;
	}

	public void setTaskWorkerNum(@Nullable Integer taskWorkerNum) {
		this.taskWorkerNum = taskWorkerNum;
	}

	public int getTaskMaxRequest() {
		return this.taskMaxRequest;
	}

	public void setTaskMaxRequest(int taskMaxRequest) {
		this.taskMaxRequest = taskMaxRequest;
	}

	public int getTaskMaxRequestGrace() {
		return this.taskMaxRequestGrace;
	}

	public void setTaskMaxRequestGrace(int taskMaxRequestGrace) {
		this.taskMaxRequestGrace = taskMaxRequestGrace;
	}

	public int getTaskQueueCapacity() {
		return this.taskQueueCapacity;
	}

	public void setTaskQueueCapacity(int taskQueueCapacity) {
		this.taskQueueCapacity = taskQueueCapacity;
	}

	public TaskOverflow getTaskOverflow() {
		return this.taskOverflow;
	}

	public void setTaskOverflow(TaskOverflow taskOverflow) {
		this.taskOverflow = taskOverflow;
	}

	public Duration getTaskEnqueueTimeout() {
		return this.taskEnqueueTimeout;
	}

	public void setTaskEnqueueTimeout(Duration taskEnqueueTimeout) {
		this.taskEnqueueTimeout = taskEnqueueTimeout;
	}

	public boolean isOpenEofSplit() {
		return this.openEofSplit;
	}

	public void setOpenEofSplit(boolean openEofSplit) {
		this.openEofSplit = openEofSplit;
	}

	public boolean isOpenEofCheck() {
		return this.openEofCheck;
	}

	public void setOpenEofCheck(boolean openEofCheck) {
		this.openEofCheck = openEofCheck;
	}

	public String getPackageEof() {
		return this.packageEof;
	}

	public void setPackageEof(String packageEof) {
		this.packageEof = packageEof;
	}

	public boolean isOpenLengthCheck() {
		return this.openLengthCheck;
	}

	public void setOpenLengthCheck(boolean openLengthCheck) {
		this.openLengthCheck = openLengthCheck;
	}

	public PackageLengthType getPackageLengthType() {
		return this.packageLengthType;
	}

	public void setPackageLengthType(PackageLengthType packageLengthType) {
		this.packageLengthType = packageLengthType;
	}

	public int getPackageLengthOffset() {
		return this.packageLengthOffset;
	}

	public void setPackageLengthOffset(int packageLengthOffset) {
		this.packageLengthOffset = packageLengthOffset;
	}

	public int getPackageBodyOffset() {
		return this.packageBodyOffset;
	}

	public void setPackageBodyOffset(int packageBodyOffset) {
		this.packageBodyOffset = packageBodyOffset;
	}

	public int getMaxConn() {
		return this.maxConn;
	}

	public void setMaxConn(int maxConn) {
		this.maxConn = maxConn;
	}

	public int getBacklog() {
		return this.backlog;
	}

	public void setBacklog(int backlog) {
		this.backlog = backlog;
	}

	public boolean isOpenTcpNodelay() {
		return this.openTcpNodelay;
	}

	public void setOpenTcpNodelay(boolean openTcpNodelay) {
		this.openTcpNodelay = openTcpNodelay;
	}

	public boolean isNativeTransport() {
		return this.nativeTransport;
	}

	public void setNativeTransport(boolean nativeTransport) {
		this.nativeTransport = nativeTransport;
	}

	public @Nullable Duration getHeartbeatIdleTime() {
		return this.heartbeatIdleTime;
	}

	public void setHeartbeatIdleTime(@Nullable Duration heartbeatIdleTime) {
		this.heartbeatIdleTime = heartbeatIdleTime;
	}

	public @Nullable Duration getHeartbeatCheckInterval() {
		return this.heartbeatCheckInterval;
	}

	public void setHeartbeatCheckInterval(@Nullable Duration heartbeatCheckInterval) {
		this.heartbeatCheckInterval = heartbeatCheckInterval;
	}

	public DataSize getBufferOutputSize() {
		return this.bufferOutputSize;
	}

	public void setBufferOutputSize(DataSize bufferOutputSize) {
		this.bufferOutputSize = bufferOutputSize;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public DataSize getPackageMaxLength() {
		return this.packageMaxLength;
	}

	public void setPackageMaxLength(DataSize packageMaxLength) {
		this.packageMaxLength = packageMaxLength;
	}

	public boolean isListen() {
		return this.listen;
	}

	public void setListen(boolean listen) {
		this.listen = listen;
	}

	public TaskTransport getTaskTransport() {
		return this.taskTransport;
	}

	public void setTaskTransport(TaskTransport taskTransport) {
		this.taskTransport = taskTransport;
	}

	public Amqp getAmqp() {
		return this.amqp;
	}

	public Observations getObservations() {
		return this.observations;
	}

	public Logging getLogging() {
		return this.logging;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public void setShutdown(Shutdown shutdown) {
		this.shutdown = shutdown;
	}

	/**
	 * TLS settings.
	 */
	@Override
	public boolean supports(Class<?> type) {
		return validator.supports(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		validator.validate(target, errors);
	}

	/**
	 * Micrometer Observations of the steps of each message.
	 */
	public static class Observations {

		/**
		 * Whether to observe the receive, task and finish steps of each message, as one
		 * trace, when an ObservationRegistry bean exists. Off by default: with a handler
		 * that records them, they cost throughput.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * What the starter adds to the log lines written while it serves a connection or a
	 * task.
	 */
	public static class Logging {

		/**
		 * Whether the task id, worker id, connection fd and remote address go into the
		 * logging MDC (swoole.task.id, swoole.worker.id, swoole.connection.fd,
		 * swoole.connection.remote) around every handler call, so that structured logs
		 * carry them as fields. Off saves their cost on every message: see
		 * docs/benchmarks.md.
		 */
		private boolean mdc = true;

		public boolean isMdc() {
			return this.mdc;
		}

		public void setMdc(boolean mdc) {
			this.mdc = mdc;
		}

	}

	/**
	 * Secure connections.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) to secure connections with; unset,
		 * plain TCP.
		 */
		private @Nullable String bundle;

		/**
		 * Whether clients must present a certificate that the bundle's trust store
		 * vouches for: none, want (asked for, optional) or need (refused without one), as
		 * server.ssl.client-auth.
		 */
		private ClientAuth clientAuth = ClientAuth.NONE;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public ClientAuth getClientAuth() {
			return this.clientAuth;
		}

		public void setClientAuth(ClientAuth clientAuth) {
			this.clientAuth = clientAuth;
		}

		/**
		 * Whether a client certificate is asked for.
		 */
		public enum ClientAuth {

			/** Not asked for. */
			NONE,

			/** Asked for; a client without one is served too. */
			WANT,

			/**
			 * Required: a client without one that the trust store vouches for is refused.
			 */
			NEED

		}

	}

	/**
	 * Where tasks run.
	 */
	public enum TaskTransport {

		/** On this process's task workers. */
		LOCAL,

		/** On the task workers of any node sharing a RabbitMQ work queue. */
		AMQP

	}

	/**
	 * Settings of the 'amqp' task transport; the connection itself is Spring Boot's
	 * spring.rabbitmq.*.
	 */
	public static class Amqp {

		/**
		 * Name of the durable work queue shared by the nodes; the dead-letter exchange
		 * and queue and the nodes' reply queues are named after it.
		 */
		private String taskQueue = "swoole.tasks";

		/**
		 * Type of the work queue: 'quorum' (replicated over the broker's cluster,
		 * dead-letters a task after 'delivery-limit' deliveries) or 'classic' (on one
		 * broker node, cheaper, without a delivery limit). A queue declared with the
		 * other type must be deleted before a switch.
		 */
		private TaskQueueType queueType = TaskQueueType.QUORUM;

		/**
		 * Unacknowledged tasks each task worker of a node may hold. Unset, the task
		 * workers take 'spring.rabbitmq.listener.simple.prefetch', or 50 when that is
		 * unset too.
		 */
		private @Nullable Integer prefetch;

		/**
		 * Deliveries of a task (first and again after a worker died on it) before the
		 * broker dead-letters it and its origin is told it failed.
		 */
		private int deliveryLimit = 5;

		/**
		 * Queues the tasks of 'taskOrdered' are spread over by key, each taken by one
		 * task worker of one node at a time; each node with task workers runs a consumer
		 * per queue besides its 'task-worker-num'. Every node must set the same number; 0
		 * refuses 'taskOrdered'.
		 */
		private int orderedPartitions = 4;

		/**
		 * How long a node's reply queue outlives the node's last connection to it; a bare
		 * number is seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration replyQueueExpiry = Duration.ofMinutes(10);

		/**
		 * How long a published task may go unconfirmed by the broker before it is
		 * published again, on a new channel; a bare number is seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration confirmTimeout = Duration.ofSeconds(10);

		/**
		 * How long a task may wait for its end (its last finish, its failure) before it
		 * fails with TaskTimeoutException and gives back its place in
		 * 'task-queue-capacity'; a reply arriving later is dropped. Counts from task(),
		 * so it covers the wait in the work queue too. A bare number is seconds.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration replyTimeout = Duration.ofMinutes(5);

		/**
		 * Packages (subpackages included) whose types task data may be read into on a
		 * worker node, and a result on the dispatching node, besides the types the
		 * handler methods declare and the JDK value types; data or a result of any other
		 * type fails its task.
		 */
		private List<String> trustedPackages = new ArrayList<>();

		public String getTaskQueue() {
			return this.taskQueue;
		}

		public void setTaskQueue(String taskQueue) {
			this.taskQueue = taskQueue;
		}

		public TaskQueueType getQueueType() {
			return this.queueType;
		}

		public void setQueueType(TaskQueueType queueType) {
			this.queueType = queueType;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		@DeprecatedConfigurationProperty(replacement = "spring.rabbitmq.listener.simple.prefetch", since = "0.1.0",
				reason = "Spring Boot's listener setting applies to the task workers; a ContainerCustomizer"
						+ "<SimpleMessageListenerContainer> sets a prefetch for them alone")
		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		@Deprecated(since = "0.1.0", forRemoval = true)
		public void setPrefetch(@Nullable Integer prefetch) {
			this.prefetch = prefetch;
		}

		public int getOrderedPartitions() {
			return this.orderedPartitions;
		}

		public void setOrderedPartitions(int orderedPartitions) {
			this.orderedPartitions = orderedPartitions;
		}

		public int getDeliveryLimit() {
			return this.deliveryLimit;
		}

		public void setDeliveryLimit(int deliveryLimit) {
			this.deliveryLimit = deliveryLimit;
		}

		public Duration getReplyQueueExpiry() {
			return this.replyQueueExpiry;
		}

		public void setReplyQueueExpiry(Duration replyQueueExpiry) {
			this.replyQueueExpiry = replyQueueExpiry;
		}

		public Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

		public List<String> getTrustedPackages() {
			return this.trustedPackages;
		}

		public void setTrustedPackages(List<String> trustedPackages) {
			this.trustedPackages = trustedPackages;
		}

		public Duration getReplyTimeout() {
			return this.replyTimeout;
		}

		public void setReplyTimeout(Duration replyTimeout) {
			this.replyTimeout = replyTimeout;
		}

	}

}
