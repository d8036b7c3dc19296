package io.swooletask.benchmarks.baseline;

import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The benchmark protocol on plain Netty, as a skilled engineer would write it without the
 * starter: one acceptor loop, two event loops, a {@link ThreadPoolExecutor} of four task
 * threads, and results handed from the pool thread to the channel's event loop, which
 * writes them with {@code writeAndFlush}, batched by a {@link FlushConsolidationHandler}.
 * <p>
 * It uses the transport Reactor Netty picks for the starter: epoll where available,
 * unless {@code -Dreactor.netty.native=false}, so the same JVM flags give both servers
 * the same transport.
 * <p>
 * Usage: {@code NettyBaselineServer [port [eventLoops [taskThreads [pool-writes]]]]};
 * port 0 picks a free port; {@code pool-writes} calls {@code writeAndFlush} on the pool
 * thread instead (how this server wrote until 2026-12-07, see docs/benchmarks.md). Prints
 * {@code READY port=<port> transport=<channel class>} once bound.
 */
public final class NettyBaselineServer implements AutoCloseable {

	/** Longest request line; a longer one closes its connection. */
	static final int MAX_LINE = 64 * 1024;

	private final EventLoopGroup acceptor;

	private final EventLoopGroup workers;

	private final ThreadPoolExecutor tasks;

	private final Channel channel;

	private NettyBaselineServer(EventLoopGroup acceptor, EventLoopGroup workers, ThreadPoolExecutor tasks,
			Channel channel) {
		this.acceptor = acceptor;
		this.workers = workers;
		this.tasks = tasks;
		this.channel = channel;
	}

	public static void main(String[] args) throws InterruptedException {
		int port = (args.length > 0) ? Integer.parseInt(args[0]) : 9602;
		int eventLoops = (args.length > 1) ? Integer.parseInt(args[1]) : 2;
		int taskThreads = (args.length > 2) ? Integer.parseInt(args[2]) : 4;
		boolean poolWrites = (args.length > 3) && args[3].equals("pool-writes");
		try (NettyBaselineServer server = start(port, eventLoops, taskThreads, poolWrites)) {
			System.out.println("READY port=" + server.port() + " transport=" + server.transport());
			Runtime.getRuntime().addShutdownHook(new Thread(server.channel::close, "baseline-shutdown"));
			server.channel.closeFuture().sync();
		}
	}

	/**
	 * Binds a server on 127.0.0.1.
	 * @param port the port; 0 picks a free one
	 * @param eventLoops how many event loops serve the connections
	 * @param taskThreads how many threads run the tasks
	 * @param poolWrites whether the pool thread calls {@code writeAndFlush} itself rather
	 * than handing the write to the event loop
	 * @return the bound server
	 * @throws InterruptedException if interrupted while binding
	 */
	public static NettyBaselineServer start(int port, int eventLoops, int taskThreads, boolean poolWrites)
			throws InterruptedException {
		boolean epoll = Boolean.parseBoolean(System.getProperty("reactor.netty.native", "true")) && Epoll.isAvailable();
		IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
		Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
				: NioServerSocketChannel.class;
		EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, io);
		EventLoopGroup workers = new MultiThreadIoEventLoopGroup(eventLoops, io);
		ThreadPoolExecutor tasks = taskPool(taskThreads);
		BaselineHandler handler = new BaselineHandler(tasks, poolWrites);
		try {
			Channel channel = new ServerBootstrap().group(acceptor, workers)
				.channel(channelType)
				.childOption(ChannelOption.TCP_NODELAY, true)
				.childHandler(new ChannelInitializer<SocketChannel>() {

					@Override
					protected void initChannel(SocketChannel channel) {
						channel.pipeline()
							.addLast(new FlushConsolidationHandler(256, true))
							.addLast(new LineBasedFrameDecoder(MAX_LINE, true, true))
							.addLast(handler);
					}

				})
				.bind("127.0.0.1", port)
				.sync()
				.channel();
			return new NettyBaselineServer(acceptor, workers, tasks, channel);
		}
		catch (RuntimeException | InterruptedException ex) {
			release(acceptor, workers, tasks);
			throw ex;
		}
	}

	private static ThreadPoolExecutor taskPool(int threads) {
		AtomicInteger ids = new AtomicInteger();
		return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
				(body) -> {
					Thread thread = new Thread(body, "baseline-task-" + ids.getAndIncrement());
					thread.setDaemon(true);
					return thread;
				});
	}

	/**
	 * The bound port.
	 * @return the port
	 */
	public int port() {
		return ((InetSocketAddress) this.channel.localAddress()).getPort();
	}

	/**
	 * The transport in use.
	 * @return the server channel's class name
	 */
	public String transport() {
		return this.channel.getClass().getSimpleName();
	}

	/**
	 * Closes the listener and every connection, and stops the threads.
	 */
	@Override
	public void close() {
		this.channel.close().syncUninterruptibly();
		release(this.acceptor, this.workers, this.tasks);
	}

	private static void release(EventLoopGroup acceptor, EventLoopGroup workers, ThreadPoolExecutor tasks) {
		tasks.shutdown();
		acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
		workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
	}

}
