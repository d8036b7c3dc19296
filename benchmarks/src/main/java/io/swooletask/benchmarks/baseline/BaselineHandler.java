package io.swooletask.benchmarks.baseline;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;

import io.swooletask.benchmarks.protocol.HeapProbe;
import io.swooletask.benchmarks.protocol.ReplyForm;
import io.swooletask.benchmarks.protocol.Request;
import io.swooletask.benchmarks.protocol.TaskWork;

/**
 * Serves one request line on the event loop: {@code E} and {@code G} are answered there,
 * task requests run on the pool, whose thread encodes the reply and writes it back with
 * {@code writeAndFlush}, which Netty hands to the channel's event loop.
 */
@Sharable
final class BaselineHandler extends SimpleChannelInboundHandler<ByteBuf> {

	private final Executor tasks;

	BaselineHandler(Executor tasks) {
		this.tasks = tasks;
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
		Request request;
		try {
			request = Request.parse(line.toString(StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			ctx.close();
			return;
		}
		switch (request.type().code()) {
			case 'E' -> reply(ctx, ReplyForm.ECHO.format(request.payload()));
			case 'G' -> reply(ctx, HeapProbe.collectAndMeasure());
			default -> this.tasks.execute(() -> reply(ctx, runTask(request)));
		}
	}

	private static String runTask(Request request) {
		try {
			return TaskWork.run(request);
		}
		catch (RuntimeException ex) {
			return ReplyForm.ERROR.format(request.payload());
		}
	}

	private static void reply(ChannelHandlerContext ctx, String text) {
		ByteBuf buffer = ctx.alloc().buffer(ByteBufUtil.utf8MaxBytes(text) + 1);
		ByteBufUtil.writeUtf8(buffer, text);
		buffer.writeByte('\n');
		ctx.writeAndFlush(buffer, ctx.voidPromise());
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

}
