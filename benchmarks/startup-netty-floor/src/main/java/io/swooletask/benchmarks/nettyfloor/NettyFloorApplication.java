package io.swooletask.benchmarks.nettyfloor;

import java.nio.charset.StandardCharsets;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * An empty Spring Boot application that binds a hand-written Netty TCP server, without
 * Reactor (an echo of each line, on epoll where it is available), when its context
 * starts: what Netty alone costs a Boot application to start, against which
 * {@code benchmarks/startup.sh} tells Reactor's share of the transport's cost.
 */
@SpringBootApplication
public class NettyFloorApplication {

	public static void main(String[] args) {
		SpringApplication.run(NettyFloorApplication.class, args);
	}

	@Bean
	EchoServer echoServer() {
		return new EchoServer();
	}

	static class EchoServer implements SmartLifecycle {

		private volatile EventLoopGroup loops;

		private volatile Channel channel;

		@Override
		public void start() {
			boolean epoll = Epoll.isAvailable();
			this.loops = new MultiThreadIoEventLoopGroup(
					epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
			this.channel = new ServerBootstrap().group(this.loops)
				.channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
				.childHandler(new ChannelInitializer<SocketChannel>() {

					@Override
					protected void initChannel(SocketChannel channel) {
						channel.pipeline().addLast(new LineBasedFrameDecoder(8192), new Echo());
					}

				})
				.bind("127.0.0.1", 0)
				.syncUninterruptibly()
				.channel();
		}

		@Override
		public void stop() {
			this.channel.close().syncUninterruptibly();
			this.loops.shutdownGracefully().syncUninterruptibly();
			this.channel = null;
		}

		@Override
		public boolean isRunning() {
			return this.channel != null;
		}

	}

	static class Echo extends SimpleChannelInboundHandler<ByteBuf> {

		@Override
		protected void channelRead0(ChannelHandlerContext context, ByteBuf line) {
			String reply = line.toString(StandardCharsets.UTF_8) + " -> OK\n";
			context.writeAndFlush(ByteBufUtil.writeUtf8(context.alloc(), reply));
		}

	}

}
