package io.swooletask.benchmarks.baseline;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

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
 * task requests run on the pool, whose thread encodes the reply and writes it back: by
 * default it hands the write to the channel's event loop itself
 * ({@code eventLoop().execute(() -> writeAndFlush(...))}), as the hand-written server the
 * outside load generator is compared against does; with {@code poolWrites} it calls
 * {@code writeAndFlush} on the pool thread, which Netty hands to the loop as a write
 * task.
 */
@Sharable
final class BaselineHandler extends SimpleChannelInboundHandler<ByteBuf> {

	private final Executor tasks;

	private final boolean poolWrites;

	BaselineHandler(Executor tasks, boolean poolWrites) {
		this.tasks = tasks;
		this.poolWrites = poolWrites;
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
			default -> this.tasks.execute(() -> replyFromPool(ctx, runTask(request)));
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

	private void replyFromPool(ChannelHandlerContext ctx, String text) {
		ByteBuf buffer = encode(ctx, text);
		if (this.poolWrites) {
			ctx.writeAndFlush(buffer, ctx.voidPromise());
		}
		else {
			try {
				ctx.channel().eventLoop().execute(() -> ctx.writeAndFlush(buffer, ctx.voidPromise()));
			}
			catch (RejectedExecutionException ex) {
				// the loop is shutting down with its connection
				buffer.release();
			}
		}
	}

	private static void reply(ChannelHandlerContext ctx, String text) {
		ctx.writeAndFlush(encode(ctx, text), ctx.voidPromise());
	}

	private static ByteBuf encode(ChannelHandlerContext ctx, String text) {
		ByteBuf buffer = ctx.alloc().buffer(ByteBufUtil.utf8MaxBytes(text) + 1);
		ByteBufUtil.writeUtf8(buffer, text);
		buffer.writeByte('\n');
		return buffer;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		ctx.close();
	}

}
