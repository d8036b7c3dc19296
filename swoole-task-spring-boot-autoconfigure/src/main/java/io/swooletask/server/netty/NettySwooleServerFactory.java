package io.swooletask.server.netty;

import java.time.Duration;
import java.util.List;

import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.PackageLengthType;
import io.swooletask.server.Shutdown;
import io.swooletask.server.SwooleServerCustomizer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.TaskOverflow;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Creates the {@link NettySwooleServer}, and builds what it is made of,
 * {@link TaskWorkerSettings} included, from its settings. It holds no defaults of its
 * own: the auto-configuration sets every setting, mapping {@code swoole.server.*} onto it
 * once, so that each default is written once, in {@code SwooleServerProperties}. Only the
 * heartbeat and TLS settings may stay {@code null} (none). The framing settings are
 * checked when the server is created, each failure naming the {@code swoole.server.*}
 * property to fix.
 */
@SuppressWarnings("NullAway.Init") // the other settings are set before getServer
public final class NettySwooleServerFactory {

	private String host;

	private int port;

	private int workerNum;

	private int taskWorkerNum;

	private int taskMaxRequest;

	private int taskMaxRequestGrace;

	private TaskWorkerSettings.WorkerThreads taskThreads;

	private boolean openEofSplit;

	private boolean openEofCheck;

	private String packageEof;

	private boolean openLengthCheck;

	private PackageLengthType packageLengthType;

	private int packageLengthOffset;

	private int packageBodyOffset;

	private DataSize packageMaxLength;

	private Duration shutdownTimeout;

	private Shutdown shutdown;

	private int maxConn;

	private int backlog;

	private boolean tcpNoDelay;

	private @Nullable Duration heartbeatIdleTime;

	private int bufferOutputSize;

	private @Nullable SslContext sslContext;

	private int taskQueueCapacity;

	private TaskOverflow taskOverflow;

	private Duration taskEnqueueTimeout;

	private TaskObserver taskObserver;

	private TaskBackend.Factory taskBackend = TaskRuntime.local();

	private MessageObservations messageObservations;

	private boolean listen;

	private boolean logFields = true;

	private boolean nativeTransport;

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

	public int getTaskWorkerNum() {
		return this.taskWorkerNum;
	}

	public void setTaskWorkerNum(int taskWorkerNum) {
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

	public TaskWorkerSettings.WorkerThreads getTaskThreads() {
		return this.taskThreads;
	}

	public void setTaskThreads(TaskWorkerSettings.WorkerThreads taskThreads) {
		this.taskThreads = taskThreads;
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

	public DataSize getPackageMaxLength() {
		return this.packageMaxLength;
	}

	public void setPackageMaxLength(DataSize packageMaxLength) {
		this.packageMaxLength = packageMaxLength;
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

	public boolean isLogFields() {
		return this.logFields;
	}

	/**
	 * Sets whether the task and the connection being served are put in the logging MDC
	 * around each handler call.
	 * @param logFields whether to
	 */
	public void setLogFields(boolean logFields) {
		this.logFields = logFields;
	}

	public boolean isNativeTransport() {
		return this.nativeTransport;
	}

	/**
	 * Sets whether the event loops use the native transport (epoll on Linux) where it is
	 * available, instead of Java NIO, which they use by default.
	 * @param nativeTransport whether to
	 */
	public void setNativeTransport(boolean nativeTransport) {
		this.nativeTransport = nativeTransport;
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

	public boolean isTcpNoDelay() {
		return this.tcpNoDelay;
	}

	public void setTcpNoDelay(boolean tcpNoDelay) {
		this.tcpNoDelay = tcpNoDelay;
	}

	/**
	 * How long a connection may go without a complete message before it is closed.
	 * @return the idle time, or {@code null} for no limit
	 */
	public @Nullable Duration getHeartbeatIdleTime() {
		return this.heartbeatIdleTime;
	}

	public void setHeartbeatIdleTime(@Nullable Duration heartbeatIdleTime) {
		this.heartbeatIdleTime = heartbeatIdleTime;
	}

	public int getBufferOutputSize() {
		return this.bufferOutputSize;
	}

	public void setBufferOutputSize(int bufferOutputSize) {
		this.bufferOutputSize = bufferOutputSize;
	}

	/**
	 * The TLS context connections are secured with.
	 * @return the context, or {@code null} for plain TCP
	 */
	public @Nullable SslContext getSslContext() {
		return this.sslContext;
	}

	public void setSslContext(@Nullable SslContext sslContext) {
		this.sslContext = sslContext;
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

	public TaskObserver getTaskObserver() {
		return this.taskObserver;
	}

	public void setTaskObserver(TaskObserver taskObserver) {
		this.taskObserver = taskObserver;
	}

	public MessageObservations getMessageObservations() {
		return this.messageObservations;
	}

	public void setMessageObservations(MessageObservations messageObservations) {
		this.messageObservations = messageObservations;
	}

	public TaskBackend.Factory getTaskBackend() {
		return this.taskBackend;
	}

	/**
	 * Sets what runs the tasks: the local task workers unless set.
	 * @param taskBackend the factory of the task backend
	 */
	public void setTaskBackend(TaskBackend.Factory taskBackend) {
		this.taskBackend = taskBackend;
	}

	public boolean isListen() {
		return this.listen;
	}

	public void setListen(boolean listen) {
		this.listen = listen;
	}

	/**
	 * Creates a server from these settings. It is not started.
	 * @param handlers what found the handler methods of the application
	 * @param errorHandler what is told of failed tasks that have no future, or
	 * {@code null} to log them
	 * @param customizers applied, in order, to the listener when it binds
	 * @return the server
	 * @throws InvalidConfigurationPropertyValueException if the framing settings cannot
	 * work, alone or together, naming the {@code swoole.server.*} property to fix
	 */
	public NettySwooleServer getServer(HandlerMethodProcessor handlers, @Nullable TaskErrorHandler errorHandler,
			List<SwooleServerCustomizer> customizers) {
		return new NettySwooleServer(this, framing(), handlers.handlers(), errorHandler, customizers);
	}

	/**
	 * The framing of these settings, checked.
	 */
	Framing framing() {
		return FramingFactory.create(this);
	}

	TaskWorkerSettings taskWorkerSettings() {
		return new TaskWorkerSettings(this.taskWorkerNum, this.taskMaxRequest, this.taskMaxRequestGrace,
				this.taskThreads, this.taskQueueCapacity, this.taskOverflow, this.taskEnqueueTimeout.toNanos(),
				this.workerNum, this.logFields);
	}

}
