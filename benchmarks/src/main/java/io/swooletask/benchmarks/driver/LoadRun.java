package io.swooletask.benchmarks.driver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

/**
 * One run of the load driver: opens every connection, runs warm-up and measurement on a
 * {@link RunClock}, waits up to the drain time for outstanding replies, then adds up each
 * class's counts. Every phase is bounded in time.
 */
public final class LoadRun {

	private static final int MAX_REPLY = 64 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	private final DriverOptions options;

	public LoadRun(DriverOptions options) {
		this.options = options;
	}

	/**
	 * Runs the load.
	 * @return the result of each connection class
	 * @throws InterruptedException if interrupted
	 * @throws ExecutionException if a connection's counts cannot be read
	 */
	public RunResult run() throws InterruptedException, ExecutionException {
		EventLoopGroup group = new MultiThreadIoEventLoopGroup(this.options.ioThreads(), NioIoHandler.newFactory());
		try {
			List<List<Connected>> byClass = connectAll(group);
			RunClock clock = RunClock.startingNow(this.options.warmup(), this.options.duration());
			byClass.stream().flatMap(List::stream).forEach((connected) -> connected.start(clock));
			sleepUntil(clock.sendUntil());
			drain(byClass, System.nanoTime() + this.options.drain().toNanos());
			List<ClassResult> results = new ArrayList<>();
			for (int i = 0; i < byClass.size(); i++) {
				results.add(ClassResult.of(this.options.classes().get(i), total(byClass.get(i)),
						this.options.duration().toNanos() / 1e9));
			}
			return new RunResult(this.options.scenario(), this.options.server(), this.options.run(),
					this.options.duration().toMillis() / 1e3, this.options.warmup().toMillis() / 1e3, results);
		}
		finally {
			group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		}
	}

	private List<List<Connected>> connectAll(EventLoopGroup group) throws InterruptedException {
		Bootstrap bootstrap = new Bootstrap().group(group)
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS);
		List<List<Connected>> byClass = new ArrayList<>();
		int id = 0;
		for (ConnectionClass connectionClass : this.options.classes()) {
			List<Connected> connections = new ArrayList<>();
			for (int i = 0; i < connectionClass.connections(); i++) {
				ClientConnection handler = new ClientConnection(id++, connectionClass);
				Channel channel = bootstrap.clone()
					.handler(pipeline(handler))
					.connect(this.options.host(), this.options.port())
					.sync()
					.channel();
				connections.add(new Connected(channel, handler));
			}
			byClass.add(connections);
		}
		return byClass;
	}

	private static ChannelInitializer<SocketChannel> pipeline(ClientConnection handler) {
		return new ChannelInitializer<>() {

			@Override
			protected void initChannel(SocketChannel channel) {
				channel.pipeline().addLast(new LineBasedFrameDecoder(MAX_REPLY, true, true)).addLast(handler);
			}

		};
	}

	private static void sleepUntil(long deadline) throws InterruptedException {
		for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
			TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
		}
	}

	private static void drain(List<List<Connected>> byClass, long deadline) throws InterruptedException {
		while (System.nanoTime() - deadline < 0
				&& byClass.stream().flatMap(List::stream).anyMatch((connected) -> connected.inFlight() > 0)) {
			TimeUnit.MILLISECONDS.sleep(10);
		}
	}

	private static ConnectionStats total(List<Connected> connections) throws InterruptedException, ExecutionException {
		ConnectionStats total = new ConnectionStats();
		for (Connected connected : connections) {
			total.add(connected.snapshot());
		}
		for (Connected connected : connections) {
			connected.channel().close().await(CONNECT_TIMEOUT_MILLIS);
		}
		return total;
	}

	private record Connected(Channel channel, ClientConnection handler) {

		void start(RunClock clock) {
			this.channel.eventLoop().execute(() -> this.handler.start(clock));
		}

		int inFlight() {
			return this.handler.inFlight();
		}

		ConnectionStats snapshot() throws InterruptedException, ExecutionException {
			return this.channel.eventLoop().submit(this.handler::snapshot).get();
		}

	}

}
