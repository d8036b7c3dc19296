package io.swooletask.server.netty;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.netty.handler.ssl.SslContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelBindException;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

import io.swooletask.server.Connection;
import io.swooletask.server.FinishCallback;
import io.swooletask.server.PortInUseException;
import io.swooletask.server.ServerStats;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.SwooleServerCustomizer;
import io.swooletask.server.Task;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.TaskOutcome;

import org.springframework.util.Assert;

/**
 * The {@link SwooleServer} on Reactor Netty: {@code worker-num} event loops of its own do
 * the I/O and run the connection events, and a {@link TaskRuntime} runs the tasks.
 */
public final class NettySwooleServer implements SwooleServer {

	private static final Log logger = LogFactory.getLog(NettySwooleServer.class);

	private final NettySwooleServerFactory options;

	private final Framing framing;

	private final SwooleHandlers handlers;

	private final List<SwooleServerCustomizer> customizers;

	private final ConnectionRegistry registry;

	private final ReadGate gate;

	private final TaskRuntime tasks;

	private final EventLoops loops = new EventLoops();

	private final GracefulShutdown shutdown;

	private final ServerMonitor monitor;

	private final BlockingWaits waits = new BlockingWaits(this::taskAsync);

	/** {@code null} without TLS. */
	private final @Nullable ServerTls tls;

	private volatile @Nullable DisposableServer disposable;

	/** {@code null} while the server is not running. */
	private volatile @Nullable AwaitThread awaitThread;

	private volatile @Nullable Instant startTime;

	private volatile boolean stopped;

	NettySwooleServer(NettySwooleServerFactory options, Framing framing, SwooleHandlers handlers,
			@Nullable TaskErrorHandler errorHandler, List<SwooleServerCustomizer> customizers) {
		this.options = options;
		this.framing = framing;
		this.handlers = handlers;
		this.customizers = List.copyOf(customizers);
		this.registry = new ConnectionRegistry(options.getMaxConn(), options.isLogFields(),
				options.getTaskBackend().firstId());
		this.gate = new ReadGate(this.registry);
		this.tasks = new TaskRuntime(this, this.registry, handlers, errorHandler, options.taskWorkerSettings(),
				this.gate::changed, options.getTaskObserver(), options.getMessageObservations(),
				options.getTaskBackend());
		this.gate.pausedBy(this.tasks::readingPaused);
		this.shutdown = new GracefulShutdown(options, this.tasks, this.registry, this.gate, this.loops);
		this.monitor = new ServerMonitor(this.registry, this.gate, this.tasks);
		this.tls = (options.getSslContext() != null) ? new ServerTls(options.getSslContext()) : null;
	}

	/**
	 * Serves new connections with another TLS context, a renewed certificate for example;
	 * connections already open keep theirs.
	 * @param sslContext the context
	 * @throws IllegalStateException if the server was built without TLS
	 */
	public void updateSslContext(SslContext sslContext) {
		Assert.state(this.tls != null, "The Swoole server was built without TLS (swoole.server.ssl.bundle)");
		this.tls.update(sslContext);
	}

	/**
	 * Starts the task pool: the event loops and the task workers, which run until
	 * {@link #stop()}. Does nothing if they run already.
	 * @throws IllegalStateException once the server has stopped: it does not start again
	 */
	public synchronized void startTasks() {
		if (this.awaitThread != null) {
			return;
		}
		if (this.stopped) {
			throw new IllegalStateException("The Swoole server has stopped; it does not start again: create a new"
					+ " one (a new application context)");
		}
		HandlerChecks.check(this.options, this.handlers);
		this.gate.loops(this.loops.create(this.options.getWorkerNum(), this.options.isNativeTransport(),
				this.options.isLogFields()));
		this.tasks.start();
		this.startTime = Instant.now();
		this.awaitThread = AwaitThread.start();
	}

	/**
	 * Starts the task pool if it has not started, then binds the listener, unless
	 * {@code listen} is off or no {@code @OnReceive} method is declared: then the task
	 * pool runs without a TCP server.
	 * @return the bound address, or {@code null} when not listening
	 */
	public synchronized @Nullable InetSocketAddress start() {
		startTasks();
		HandlerMethod receive = this.handlers.receive();
		if (this.options.isListen() && receive != null && this.disposable == null) {
			bind(receive);
		}
		InetSocketAddress address = address();
		logger.info(((address != null)
				? "Swoole server listening on " + address.getHostString() + ":" + address.getPort()
				: "Swoole server running without a listener " + (this.options.isListen()
						? "(no @OnReceive method is declared, so no port is bound)" : "(swoole.server.listen=false)"))
				+ ": " + Counted.of(this.options.getWorkerNum(), "event loop") + ", "
				+ Counted.of(this.tasks.counters().workerNum(), "task worker") + ", "
				+ this.tasks.backendDetails().getOrDefault("transport", "local") + " transport, framing "
				+ this.framing);
		return address;
	}

	/**
	 * Binds the listener, releasing the task workers and event loops if that or a
	 * customizer fails.
	 */
	private void bind(HandlerMethod receive) {
		try {
			TcpServer server = Listener.configure(
					this.options, this.tls, this.loops.resources(), new ConnectionInitializer(this, this.handlers,
							receive, this.registry, this.options, this.framing, this.gate, this.loops),
					this.customizers);
			this.disposable = server.bindNow();
		}
		catch (RuntimeException ex) {
			this.tasks.stop(System.nanoTime());
			this.loops.resources().dispose();
			AwaitThread awaitThread = this.awaitThread;
			if (awaitThread != null) {
				awaitThread.release();
			}
			this.awaitThread = null;
			if (ex instanceof ChannelBindException) {
				throw new PortInUseException(this.options.getHost(), this.options.getPort(), ex);
			}
			throw ex;
		}
	}

	/**
	 * Stops the listener gracefully, the first part of the shutdown and the start of
	 * {@code shutdown-timeout}: stops accepting, stops reading (the messages already
	 * decoded are still handled), lets queued and running tasks finish and their finish
	 * events run, then flushes and closes every connection (firing {@code @OnClose}). The
	 * task pool runs on, for tasks dispatched from other threads, until {@link #stop()}.
	 * Does nothing if no listener is bound.
	 */
	public synchronized void stopListening() {
		DisposableServer server = this.disposable;
		if (server != null) {
			this.disposable = null;
			this.shutdown.stopListening(server);
		}
	}

	/**
	 * Shuts down gracefully, within {@code shutdown-timeout}: stops the listener as
	 * {@link #stopListening()} does if it is still bound, lets the tasks left finish,
	 * then releases the task workers and the event loops. Tasks unfinished at the
	 * deadline are logged and their futures fail.
	 */
	public synchronized void stop() {
		AwaitThread awaitThread = this.awaitThread;
		if (awaitThread == null) {
			return;
		}
		this.awaitThread = null;
		this.stopped = true;
		stopListening();
		this.shutdown.stopTasks();
		awaitThread.release();
	}

	@Override
	public long task(Object data) {
		return dispatch(data, -1, null);
	}

	@Override
	public long task(Object data, int dstWorkerId) {
		return dispatch(data, dstWorkerId, null);
	}

	@Override
	public <R> long task(Object data, FinishCallback<R> callback) {
		return dispatch(data, -1, callback);
	}

	@Override
	public <R> long task(Object data, int dstWorkerId, FinishCallback<R> callback) {
		return dispatch(data, dstWorkerId, callback);
	}

	@Override
	public <R> CompletableFuture<R> taskAsync(Object data) {
		CompletableFuture<R> future = new CompletableFuture<>();
		dispatch(data, -1, future);
		return future;
	}

	@Override
	public <R> R taskwait(Object data, Duration timeout) {
		return this.waits.taskwait(data, timeout);
	}

	@Override
	public List<TaskOutcome> taskWaitMulti(List<?> data, Duration timeout) {
		return this.waits.taskWaitMulti(data, timeout);
	}

	@Override
	public long taskOrdered(Object key, Object data) {
		Objects.requireNonNull(key, "The order key must not be null");
		return this.tasks.dispatchOrdered(key, data, this.loops.origin());
	}

	private long dispatch(Object data, int dstWorkerId, @Nullable Object completion) {
		return this.tasks.dispatch(data, dstWorkerId, this.loops.origin(), completion);
	}

	@Override
	public CompletableFuture<List<TaskOutcome>> taskAsyncMulti(List<?> data, Duration timeout) {
		Objects.requireNonNull(timeout, "timeout must not be null");
		List<CompletableFuture<Object>> futures = new ArrayList<>(data.size());
		for (Object item : data) {
			try {
				futures.add(taskAsync(item));
			}
			catch (RuntimeException ex) {
				futures.add(CompletableFuture.failedFuture(ex));
			}
		}
		return TaskOutcomes.collect(futures, timeout, this.loops::next);
	}

	@Override
	public void finish(Object result) {
		Task task = TaskRuntime.current();
		if (task == null) {
			throw new IllegalStateException("finish was called outside a task, on " + Thread.currentThread().getName()
					+ ": call it from an @OnTask method, or return the result from it");
		}
		task.finish(result);
	}

	@Override
	public boolean send(long fd, String data) {
		return this.registry.send(fd, data);
	}

	@Override
	public boolean send(long fd, byte[] data) {
		return this.registry.send(fd, data);
	}

	@Override
	public int broadcast(String data) {
		return this.tasks.broadcast(data.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public boolean close(long fd) {
		return this.registry.close(fd);
	}

	@Override
	public boolean exists(long fd) {
		return this.registry.isOpen(fd);
	}

	@Override
	public Optional<Connection> connection(long fd) {
		return Optional.ofNullable(this.registry.get(fd));
	}

	@Override
	public Collection<Connection> connections() {
		return List.copyOf(this.registry.all());
	}

	@Override
	public ServerStats stats() {
		return this.monitor.stats(this.startTime);
	}

	/**
	 * How many connections the server does not read from now, because the task queue is
	 * near full or the server is stopping: beyond {@link #stats()}, for metrics and
	 * health.
	 * @return the count
	 */
	public int pausedConnections() {
		return this.monitor.pausedConnections();
	}

	/**
	 * Since when the server does not read because the task queue is near full: beyond
	 * {@link #stats()}, for health.
	 * @return when that began, or {@code null} while it reads
	 */
	public @Nullable Instant readingPausedSince() {
		return this.monitor.readingPausedSince();
	}

	/**
	 * How many sends were refused because they would take a connection's pending output
	 * past {@code buffer-output-size}: beyond {@link #stats()}, for metrics.
	 * @return the count since the start
	 */
	public long refusedWrites() {
		return this.monitor.refusedWrites();
	}

	/**
	 * How many finish events of tasks that outlived the shutdown were dropped: beyond
	 * {@link #stats()}, for metrics.
	 * @return the count since the start
	 */
	public long droppedFinishes() {
		return this.monitor.droppedFinishes();
	}

	/**
	 * What the health endpoint shows of where the tasks run, beyond the task counters.
	 * @return the details by name
	 */
	public Map<String, Object> taskBackendDetails() {
		return this.monitor.taskBackendDetails();
	}

	@Override
	public int port() {
		DisposableServer server = this.disposable;
		return (server != null) ? server.port() : -1;
	}

	/**
	 * Whether the server runs, with its listener bound unless {@code listen} is off, and
	 * its task backend is alive.
	 * @return whether the server is healthy
	 */
	public boolean isHealthy() {
		return isRunning() && this.tasks.isAlive();
	}

	/**
	 * Where the server listens.
	 * @return the bound address, or {@code null} when not bound
	 */
	public @Nullable InetSocketAddress address() {
		DisposableServer server = this.disposable;
		return (server != null) ? (InetSocketAddress) server.address() : null;
	}

	/**
	 * Whether the server has started and not stopped.
	 * @return whether the server is running
	 */
	public boolean isRunning() {
		return this.awaitThread != null;
	}

}
