package io.swooletask.server.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslCloseCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Turns the end of a half-closed client's input into a message behind the last message
 * decoded, after the decoders and before the {@link FlowControlHandler}. Netty reads a
 * closing client to its end even while reading is paused, so the end would otherwise
 * overtake the messages held for later; as a message it reaches the
 * {@link ConnectionHandler} only once they all have. A TLS client's {@code close_notify},
 * which a TLS 1.3 client that shuts its output down sends before its FIN, is its end of
 * input too, and is not passed on: Reactor Netty would close the connection on it, before
 * the replies to what the client sent were written.
 * <p>
 * An end that comes before the TLS handshake has completed closes the connection at once
 * instead: the handshake can no longer complete, and the server allows half-closure, so
 * nothing else would close it before the handshake timeout. A TCP health check that
 * connects and closes is no failure, so this is logged at DEBUG only.
 */
@ChannelHandler.Sharable
final class InputShutdownMarker extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(InputShutdownMarker.class);

	static final InputShutdownMarker INSTANCE = new InputShutdownMarker();

	/** The message that stands for the end of the input. */
	static final Object END_OF_INPUT = ChannelInputShutdownEvent.INSTANCE;

	private InputShutdownMarker() {
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event != ChannelInputShutdownEvent.INSTANCE && !isCloseNotify(event)) {
			ctx.fireUserEventTriggered(event);
		}
		else if (isHandshaking(ctx)) {
			logger.debug("Closing connection from " + ctx.channel().remoteAddress()
					+ ": it closed before the TLS handshake completed");
			ctx.close();
		}
		else {
			ctx.fireChannelRead(END_OF_INPUT);
		}
	}

	private static boolean isCloseNotify(Object event) {
		return event instanceof SslCloseCompletionEvent close && close.isSuccess();
	}

	/**
	 * Whether the TLS handshake has not completed: the client's hello has not come yet
	 * (the SNI handler, which picks the TLS context, is still waiting for it), or it has
	 * and the handshake goes on.
	 */
	static boolean isHandshaking(ChannelHandlerContext ctx) {
		if (ctx.pipeline().get(AbstractSniHandler.class) != null) {
			return true;
		}
		SslHandler tls = ctx.pipeline().get(SslHandler.class);
		return tls != null && !tls.handshakeFuture().isDone();
	}

}
