package io.swooletask.server.netty;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.AbstractEventLoop;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model-checks the task capacity and the read gate together, wired as the server wires
 * them: an event loop that dispatches a task per message it reads and checks the gate
 * after it, task workers that take tasks and dispatch tasks of their own, and the loop
 * running the gate's applications queued on it. Whatever the interleaving, once the loop
 * has run everything queued on it, the channel reads exactly when the capacity says
 * reading is not paused, and never with the queue at capacity.
 */
class ReadGateCapacityLincheckTests {

	@Test
	void channelReadsExactlyWhenTheCapacityHasRoom() {
		new ModelCheckingOptions().threads(3)
			.actorsPerThread(2)
			.actorsBefore(0)
			.actorsAfter(0)
			.iterations(8)
			.invocationsPerIteration(200)
			.check(GateOnOneLoop.class);
	}

	/**
	 * A capacity of 2 signalling the real gate, and one connection on a loop whose tasks
	 * run only when the loop's operation runs, with one task already queued.
	 */
	public static class GateOnOneLoop {

		static final int CAPACITY = 2;

		private final ModelLoop loop = new ModelLoop();

		private final ConnectionRegistry registry = new ConnectionRegistry(1, true, 0);

		private final ReadGate gate = new ReadGate(this.registry);

		private final TaskCapacities capacity = TaskCapacities.create(CAPACITY, 1, this.gate::changed);

		private final Channel channel = new LoopChannel(this.loop);

		private final NettyConnection connection;

		/** Tasks in the queue: a worker gives a place back only for a task it took. */
		private final AtomicInteger queued = new AtomicInteger();

		public GateOnOneLoop() {
			this.gate.pausedBy(() -> this.capacity.readingPaused());
			this.gate.loops(List.of(this.loop));
			this.connection = this.registry.open(this.channel, 0);
			this.loop.runNow(() -> this.gate.apply(this.connection));
			read();
		}

		/**
		 * The loop reads a message, if the channel reads, and dispatches its task, as
		 * ConnectionHandler does.
		 */
		@Operation(nonParallelGroup = "eventLoop")
		public void read() {
			this.loop.runNow(() -> {
				if (this.channel.config().isAutoRead()) {
					dispatch();
					this.gate.check(this.connection);
				}
			});
		}

		/** The loop runs what other threads queued on it. */
		@Operation(nonParallelGroup = "eventLoop")
		public void runLoop() {
			this.loop.runPending();
		}

		/**
		 * A task worker takes the next task, if there is one, and gives its place back.
		 */
		@Operation
		public void take() {
			for (int n = this.queued.get(); n > 0; n = this.queued.get()) {
				if (this.queued.compareAndSet(n, n - 1)) {
					this.capacity.release();
					return;
				}
			}
		}

		/**
		 * A running task dispatches a task: a worker forces its place, as the loop does.
		 */
		@Operation
		public void dispatch() {
			this.capacity.forceReserve();
			this.queued.incrementAndGet();
		}

		@Validate
		public void channelFollowsTheCapacity() {
			this.loop.runPending();
			int taken = this.capacity.taken();
			boolean paused = this.capacity.readingPaused();
			boolean reading = this.channel.config().isAutoRead();
			if (reading == paused) {
				throw new IllegalStateException("The channel is " + (reading ? "reading" : "not reading")
						+ " but the capacity says reading is " + (paused ? "paused" : "open") + ", with " + taken
						+ " of " + CAPACITY + " places taken");
			}
			if (reading && taken >= CAPACITY) {
				throw new IllegalStateException("The channel is reading with " + taken + " of " + CAPACITY
						+ " places taken: the queue grows unbounded");
			}
		}

	}

	/**
	 * A channel whose configuration and pipeline are Netty's own, on the given loop once
	 * registered.
	 */
	static final class LoopChannel extends EmbeddedChannel {

		private final EventLoop loop;

		LoopChannel(EventLoop loop) {
			this.loop = loop;
		}

		@Override
		public EventLoop eventLoop() {
			// the embedded loop only while the channel registers, before this one is set
			return (this.loop != null) ? this.loop : super.eventLoop();
		}

	}

	/**
	 * A single-threaded event loop that the model checker sees: what is executed on it is
	 * queued, and runs when the loop's operation runs it, on that operation's thread,
	 * which is in the loop only meanwhile.
	 */
	static final class ModelLoop extends AbstractEventLoop {

		private final Queue<Runnable> tasks = new ArrayDeque<>();

		private volatile Thread running;

		/** Runs the task as this loop, then what was queued meanwhile. */
		void runNow(Runnable task) {
			this.running = Thread.currentThread();
			try {
				task.run();
			}
			finally {
				this.running = null;
			}
			runPending();
		}

		/** Runs what was queued on this loop, in order. */
		void runPending() {
			this.running = Thread.currentThread();
			try {
				for (Runnable task = poll(); task != null; task = poll()) {
					task.run();
				}
			}
			finally {
				this.running = null;
			}
		}

		private Runnable poll() {
			synchronized (this.tasks) {
				return this.tasks.poll();
			}
		}

		@Override
		public void execute(Runnable task) {
			synchronized (this.tasks) {
				this.tasks.add(task);
			}
		}

		@Override
		public boolean inEventLoop(Thread thread) {
			return thread == this.running;
		}

		@Override
		public ChannelFuture register(Channel channel) {
			throw new UnsupportedOperationException();
		}

		@Override
		public ChannelFuture register(ChannelPromise promise) {
			throw new UnsupportedOperationException();
		}

		@Override
		@Deprecated
		public ChannelFuture register(Channel channel, ChannelPromise promise) {
			throw new UnsupportedOperationException();
		}

		@Override
		public boolean isShuttingDown() {
			return false;
		}

		@Override
		public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Future<?> terminationFuture() {
			throw new UnsupportedOperationException();
		}

		@Override
		@Deprecated
		public void shutdown() {
		}

		@Override
		public boolean isShutdown() {
			return false;
		}

		@Override
		public boolean isTerminated() {
			return false;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return false;
		}

	}

}
