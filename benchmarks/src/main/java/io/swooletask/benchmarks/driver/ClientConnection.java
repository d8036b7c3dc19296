package io.swooletask.benchmarks.driver;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.collection.LongObjectMap;

import io.swooletask.benchmarks.protocol.ReplyForm;
import io.swooletask.benchmarks.protocol.ReplyForm.Reply;
import io.swooletask.benchmarks.protocol.RequestType;

/**
 * One driver connection, on its event loop: keeps {@code depth} requests outstanding
 * until the clock says stop, each with a unique payload
 * {@code <connection id>-<sequence>}, and checks every reply against the outstanding set,
 * in whatever order replies come. Writes are flushed once per read batch.
 */
final class ClientConnection extends SimpleChannelInboundHandler<ByteBuf> {

	private final String payloadPrefix;

	private final ConnectionClass connectionClass;

	private final LongObjectMap<Pending> outstanding = new LongObjectHashMap<>();

	private final ConnectionStats stats = new ConnectionStats();

	private volatile int inFlight;

	private ChannelHandlerContext ctx;

	private RunClock clock;

	private long nextSequence;

	ClientConnection(int id, ConnectionClass connectionClass) {
		this.payloadPrefix = id + "-";
		this.connectionClass = connectionClass;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	/**
	 * Starts sending; call on the connection's event loop.
	 * @param clock the phases of the run
	 */
	void start(RunClock clock) {
		this.clock = clock;
		fill(System.nanoTime());
		this.ctx.flush();
	}

	/**
	 * Requests sent and not answered yet; safe to read from any thread.
	 * @return the count
	 */
	int inFlight() {
		return this.inFlight;
	}

	/**
	 * A copy of the counts; call on the connection's event loop.
	 * @return the copy
	 */
	ConnectionStats snapshot() {
		this.stats.outstanding = this.outstanding.size();
		return this.stats.copy();
	}

	@Override
	protected void channelRead0(ChannelHandlerContext ctx, ByteBuf line) {
		if (this.clock == null) {
			this.stats.unexpected++;
			return;
		}
		long now = System.nanoTime();
		check(ReplyForm.parse(line.toString(StandardCharsets.US_ASCII)), now);
		fill(now);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		ctx.flush();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		this.stats.disconnects++;
	}

	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		this.stats.unexpected++;
		ctx.close();
	}

	private void check(Reply reply, long now) {
		long sequence = sequenceOf(reply.payload());
		Pending pending = (sequence >= 0) ? this.outstanding.remove(sequence) : null;
		this.inFlight = this.outstanding.size();
		if (pending == null) {
			if (sequence >= 0 && sequence < this.nextSequence) {
				this.stats.duplicates++;
			}
			else {
				this.stats.unexpected++;
			}
			return;
		}
		if (pending.type().replyForm() != reply.form()) {
			this.stats.unexpected++;
			return;
		}
		this.stats.answered++;
		if (this.clock.measuring(now)) {
			this.stats.measured++;
			this.stats.recordLatency(now - pending.sentAt());
		}
	}

	private long sequenceOf(String payload) {
		if (!payload.startsWith(this.payloadPrefix)) {
			return -1;
		}
		try {
			return Long.parseLong(payload, this.payloadPrefix.length(), payload.length(), 10);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private void fill(long now) {
		int depth = this.connectionClass.depth();
		while (this.outstanding.size() < depth && this.clock.sending(now) && this.ctx.channel().isActive()) {
			long sequence = this.nextSequence++;
			RequestType type = this.connectionClass.mix().typeOf(sequence);
			this.outstanding.put(sequence, new Pending(type, now));
			this.ctx.write(ByteBufUtil.writeAscii(this.ctx.alloc(), type.line(this.payloadPrefix + sequence)),
					this.ctx.voidPromise());
			this.stats.sent++;
		}
		this.inFlight = this.outstanding.size();
	}

	private record Pending(RequestType type, long sentAt) {

	}

}
