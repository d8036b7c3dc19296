package io.swooletask.server.netty;

import java.util.function.Function;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.handler.HandlerMethod;
import io.swooletask.handler.SwooleHandlers;
import io.swooletask.server.SwooleServer;
import io.swooletask.task.TaskOrigin;

/**
 * The last handler of every connection's pipeline, on its event loop: registers the connection, turns
 * each framed message into the {@code @OnReceive} method's data type and calls it, and calls
 * {@code @OnConnect} and {@code @OnClose}. A handler that throws costs only that event.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ConnectionHandler.class);

	private final SwooleServer server;

	private final SwooleHandlers handlers;

	private final ConnectionRegistry registry;

	private final Function<ByteBuf, Object> payloads;

	private final int reactorId;

	private NettyConnection connection;

	ConnectionHandler(SwooleServer server, SwooleHandlers handlers, ConnectionRegistry registry,
			Function<ByteBuf, Object> payloads, int reactorId) {
		this.server = server;
		this.handlers = handlers;
		this.registry = registry;
		this.payloads = payloads;
		this.reactorId = reactorId;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		this.connection = this.registry.open(ctx.channel(), this.reactorId);
		invoke(this.handlers.connect(), null);
		ctx.fireChannelActive();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf buffer)) {
			ctx.fireChannelRead(msg);
			return;
		}
		try {
			this.connection.received();
			this.registry.received();
			invoke(this.handlers.receive(), this.payloads.apply(buffer));
		}
		finally {
			buffer.release();
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (this.connection != null) {
			this.registry.close(this.connection);
			invoke(this.handlers.close(), null);
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof ChannelInputShutdownEvent) {
			// the client sent all it will send: reply to what it sent, then close
			this.connection.origin().whenIdle(() -> {
				if (this.connection.origin().inFlight() == 0) {
					ctx.close();
				}
			});
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		logger.warn("Closing " + this.connection + ": " + cause);
		ctx.close();
	}

	private void invoke(HandlerMethod handler, Object payload) {
		if (handler == null) {
			return;
		}
		TaskOrigin previous = this.connection.origin().enter();
		try {
			handler.invoke(this.server, this.connection, null, payload);
		}
		catch (Exception ex) {
			logger.error(handler + " failed on " + this.connection, ex);
		}
		finally {
			TaskOrigin.exit(previous);
		}
	}

}
