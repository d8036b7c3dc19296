package io.swooletask.server.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.flow.FlowControlHandler;

/**
 * Turns the end of a half-closed client's input into a message behind the last message decoded, after
 * the decoders and before the {@link FlowControlHandler}. Netty reads a closing
 * client to its end even while reading is paused, so the end would otherwise overtake the messages held
 * for later; as a message it reaches the {@link ConnectionHandler} only once they all have.
 */
@ChannelHandler.Sharable
final class InputShutdownMarker extends ChannelInboundHandlerAdapter {

	static final InputShutdownMarker INSTANCE = new InputShutdownMarker();

	/** The message that stands for the end of the input. */
	static final Object END_OF_INPUT = ChannelInputShutdownEvent.INSTANCE;

	private InputShutdownMarker() {
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event == ChannelInputShutdownEvent.INSTANCE) {
			ctx.fireChannelRead(END_OF_INPUT);
		}
		else {
			ctx.fireUserEventTriggered(event);
		}
	}

}
