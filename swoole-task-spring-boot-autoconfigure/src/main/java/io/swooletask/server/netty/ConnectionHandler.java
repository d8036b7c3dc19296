package io.swooletask.server.netty;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Function;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.swooletask.server.SwooleServer;
import io.swooletask.task.MessageObservations;

/**
 * The last handler of every connection's pipeline, on its event loop: registers the
 * connection (or refuses it past {@code max-conn}), turns each framed message into the
 * {@code @OnReceive} method's data type and calls it, and calls {@code @OnConnect} and
 * {@code @OnClose}. A handler that throws costs only that event; bad input costs only its
 * connection, with one log line that says why.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ConnectionHandler.class);

	private final Shared shared;

	private @Nullable NettyConnection connection;

	ConnectionHandler(Shared shared) {
		this.shared = shared;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		NettyConnection connection = this.shared.registry()
			.open(ctx.channel(), this.shared.loops().indexOf(ctx.channel().eventLoop()));
		this.connection = connection;
		if (connection == null) {
			logger.warn("Refused connection from " + ctx.channel().remoteAddress() + ": "
					+ this.shared.options().getMaxConn() + " connections are open (swoole.server.max-conn)");
			ctx.close();
			return;
		}
		onEvent(this.shared.handlers().connect(), connection);
		ctx.fireChannelActive();
		// after Reactor Netty's bridge has made its operations, which switch reading off
		this.shared.gate().apply(connection);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg == InputShutdownMarker.END_OF_INPUT) {
			inputEnded(ctx);
			return;
		}
		ByteBuf buffer = (msg instanceof ByteBufHolder holder) ? holder.content()
				: (msg instanceof ByteBuf bytes) ? bytes : null;
		if (buffer == null) {
			ReferenceCountUtil.release(msg);
			withConnectionLogged(() -> logger.warn("Closing " + describe(ctx) + ": a handler before the starter's"
					+ " passed it a " + msg.getClass().getName() + " where it reads bytes (a ByteBuf or a"
					+ " ByteBufHolder); check the SwooleServerCustomizer that adds it"));
			ctx.close();
			return;
		}
		boolean wasReading = LoopTurnWakes.readStarted();
		try {
			NettyConnection connection = this.connection;
			if (connection != null) {
				connection.received();
				this.shared.registry().received();
				receive(connection, this.shared.payloads().apply(buffer));
				this.shared.gate().check(connection);
			}
		}
		finally {
			LoopTurnWakes.readEnded(wasReading);
			ReferenceCountUtil.release(msg);
		}
	}

	/**
	 * Calls the {@code @OnReceive} method, observed, with this connection as the origin
	 * of the tasks it dispatches; what it throws costs only this message.
	 */
	private void receive(NettyConnection connection, @Nullable Object payload) {
		HandlerMethod handler = this.shared.receive();
		TaskOrigin previous = connection.origin().enter();
		try {
			MessageObservations.Step step = this.shared.options()
				.getMessageObservations()
				.receive(handler.toString(), connection);
			try {
				handler.invoke(this.shared.server(), connection, null, payload);
			}
			catch (Throwable ex) {
				step.error(ex);
				throw ex;
			}
			finally {
				step.close();
			}
		}
		catch (Throwable ex) {
			logger.error(handler + " failed on " + connection, ex);
		}
		finally {
			connection.origin().restore(previous);
		}
	}

	/**
	 * The client sent all it will send, and every message it sent has been handled:
	 * closes once the tasks they dispatched have ended, their finish events have run and
	 * what they wrote has been flushed, so that it gets every reply. A TLS client's FIN
	 * after its {@code close_notify}, which ended its input already, ends nothing more.
	 */
	private void inputEnded(ChannelHandlerContext ctx) {
		NettyConnection connection = this.connection;
		if (connection != null) {
			if (connection.isInputEnded()) {
				return;
			}
			connection.inputEnded();
			TaskOrigin origin = connection.origin();
			origin.whenIdle(() -> {
				if (origin.inFlight() == 0) {
					logger.debug("Closing " + describe(ctx) + ": it shut its output down and every message it sent"
							+ " has been answered");
					ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
				}
			});
		}
		ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		NettyConnection connection = this.connection;
		if (connection != null) {
			this.shared.gate().closed(connection);
			this.shared.registry().close(connection);
			onEvent(this.shared.handlers().close(), connection);
		}
		ctx.fireChannelInactive();
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		Duration idleTime = this.shared.options().getHeartbeatIdleTime();
		if (event instanceof IdleStateEvent && idleTime != null) {
			NettyConnection connection = this.connection;
			if (connection != null && connection.heldByServer()) {
				connection.restartIdleTime();
				return;
			}
			withConnectionLogged(() -> logger.info("Closing " + describe(ctx) + ": no message for "
					+ idleTime.toMillis() + " ms (swoole.server.heartbeat-idle-time)"));
			ctx.close();
			return;
		}
		if (event == ChannelOutputShutdownEvent.INSTANCE) {
			withConnectionLogged(() -> logger.warn("Closing " + describe(ctx) + ": Netty shut its output down after"
					+ " a write failed, so the replies not yet written to the socket are lost"
					+ (ctx.channel().getClass().getSimpleName().startsWith("Epoll")
							? " (a known limit of Netty's epoll transport, which swoole.server.native-transport"
									+ " turned on; see docs/reliability.md)"
							: "")));
			ctx.close();
			return;
		}
		ctx.fireUserEventTriggered(event);
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		withConnectionLogged(() -> logFailure(ctx, cause));
		ctx.close();
	}

	/**
	 * Runs what logs about this connection with it in the logging context, as its
	 * handlers run.
	 */
	private void withConnectionLogged(Runnable logging) {
		if (this.connection == null) {
			logging.run();
			return;
		}
		TaskOrigin origin = this.connection.origin();
		TaskOrigin previous = origin.enter();
		try {
			logging.run();
		}
		finally {
			origin.restore(previous);
		}
	}

	private void logFailure(ChannelHandlerContext ctx, Throwable cause) {
		SSLException tlsFailure = tlsFailure(cause);
		if (cause instanceof TooLongFrameException && InputShutdownMarker.isHandshaking(ctx)) {
			// the client's hello, read by the SNI handler before any message is framed
			tlsFailed(ctx, new SSLHandshakeException("the client's hello is too long: " + cause.getMessage()));
		}
		else if (cause instanceof TooLongFrameException) {
			this.shared.registry().oversizeFrame();
			logger.warn("Closing " + describe(ctx) + ": a message exceeds "
					+ this.shared.options().getPackageMaxLength().toBytes()
					+ " bytes (swoole.server.package-max-length)");
		}
		else if (cause instanceof CorruptedFrameException) {
			this.shared.registry().invalidFrame();
			logger.warn("Closing " + describe(ctx) + ": invalid length header (" + cause.getMessage()
					+ "; see swoole.server.package-length-type)");
		}
		else if (tlsFailure != null) {
			tlsFailed(ctx, tlsFailure);
		}
		else if (cause instanceof IOException) {
			logger.debug("Closing " + describe(ctx) + ": " + cause);
		}
		else {
			logger.warn("Closing " + describe(ctx), cause);
		}
	}

	/**
	 * Logs why TLS failed, in one WARN line per connection that never shows the bytes
	 * received (Netty puts a hex dump of them in the message of a
	 * {@link NotSslRecordException}). Netty reports a failure twice, first as itself and
	 * then wrapped, by which time it has closed the connection: what comes once the
	 * connection is closed goes to DEBUG.
	 */
	private void tlsFailed(ChannelHandlerContext ctx, SSLException failure) {
		if (!ctx.channel().isActive()) {
			logger.debug("Closed " + describe(ctx) + ": " + failure);
		}
		else if (failure instanceof NotSslRecordException) {
			logger.warn("Closing " + describe(ctx) + ": not a TLS record (plain text on a TLS port?)");
			logger.debug(describe(ctx) + ": " + failure.getMessage());
		}
		else {
			logger.warn("Closing " + describe(ctx) + ": TLS handshake failed (" + failure.getMessage() + ")");
		}
	}

	private static @Nullable SSLException tlsFailure(Throwable cause) {
		if (cause instanceof SSLException failure) {
			return failure;
		}
		return (cause.getCause() instanceof SSLException failure) ? failure : null;
	}

	private String describe(ChannelHandlerContext ctx) {
		NettyConnection connection = this.connection;
		return (connection != null) ? connection.toString() : "connection from " + ctx.channel().remoteAddress();
	}

	/**
	 * Calls an {@code @OnConnect} or {@code @OnClose} method, if declared, with this
	 * connection as the origin of the tasks it dispatches; what it throws is logged.
	 */
	private void onEvent(@Nullable HandlerMethod handler, NettyConnection connection) {
		if (handler == null) {
			return;
		}
		TaskOrigin previous = connection.origin().enter();
		try {
			handler.invoke(this.shared.server(), connection, null, null);
		}
		catch (Throwable ex) {
			logger.error(handler + " failed on " + connection, ex);
		}
		finally {
			connection.origin().restore(previous);
		}
	}

	/**
	 * What the handlers of all connections share, kept once rather than in each handler.
	 */
	record Shared(SwooleServer server, SwooleHandlers handlers, HandlerMethod receive, ConnectionRegistry registry,
			Function<ByteBuf, @Nullable Object> payloads, NettySwooleServerFactory options, ReadGate gate,
			EventLoops loops) {

	}

}
