package io.swooletask.server.netty;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import reactor.netty.resources.LoopResources;

import org.springframework.util.Assert;

/**
 * The server's own event loops, Swoole's workers: creates them, numbers them (a loop's
 * index is the {@code reactorId} of its connections) and names the loop a task dispatched
 * from the calling thread finishes on.
 */
final class EventLoops {

	private final AtomicInteger nextLoop = new AtomicInteger();

	private volatile @Nullable LoopResources resources;

	private volatile Map<EventExecutor, Integer> indexes = Map.of();

	private volatile List<EventExecutor> all = List.of();

	private volatile TaskOrigin[] loopOrigins = new TaskOrigin[0];

	private volatile TaskOrigin[] externalOrigins = new TaskOrigin[0];

	/**
	 * Creates {@code workerNum} event loops, in place of those created before.
	 * @param workerNum how many loops
	 * @param nativeTransport whether the loops use the native transport where it is
	 * available
	 * @param logFields whether the tasks dispatched from outside a connection put their
	 * ids in the logging MDC as they finish
	 * @return the loops
	 */
	List<EventExecutor> create(int workerNum, boolean nativeTransport, boolean logFields) {
		LoopResources resources = LoopResources.create("swoole-worker", 1, workerNum, true);
		this.resources = resources;
		Map<EventExecutor, Integer> indexes = new IdentityHashMap<>();
		List<TaskOrigin> loopOrigins = new ArrayList<>();
		List<TaskOrigin> externalOrigins = new ArrayList<>();
		for (EventExecutor loop : resources.onServer(nativeTransport)) {
			int index = indexes.size();
			indexes.put(loop, index);
			loopOrigins.add(new TaskOrigin(loop, index, null, logFields));
			externalOrigins.add(new TaskOrigin(loop, -1, null, logFields));
		}
		this.indexes = indexes;
		this.all = List.copyOf(indexes.keySet());
		this.loopOrigins = loopOrigins.toArray(TaskOrigin[]::new);
		this.externalOrigins = externalOrigins.toArray(TaskOrigin[]::new);
		return this.all;
	}

	/**
	 * The resources of the loops.
	 * @return the resources
	 * @throws IllegalStateException if the loops have not been created
	 */
	LoopResources resources() {
		LoopResources resources = this.resources;
		Assert.state(resources != null, "The event loops have not been created");
		return resources;
	}

	List<EventExecutor> all() {
		return this.all;
	}

	/**
	 * The index of a loop of this server.
	 * @param loop the loop
	 * @return its index, or {@code -1} when it is not one of these loops
	 */
	int indexOf(EventLoop loop) {
		return this.indexes.getOrDefault(loop, -1);
	}

	/**
	 * Where a task dispatched from the calling thread finishes: the origin the thread
	 * runs under, else the loop the thread is, else the next loop in turn.
	 * @return the origin
	 */
	TaskOrigin origin() {
		TaskOrigin origin = TaskOrigin.current();
		if (origin != null) {
			return origin;
		}
		int loop = currentLoopIndex();
		if (loop >= 0) {
			return this.loopOrigins[loop];
		}
		TaskOrigin[] external = this.externalOrigins;
		if (external.length == 0) {
			throw new IllegalStateException("The Swoole server has not started, so no event loop can receive the"
					+ " task's finish events: dispatch tasks once it has (from an ApplicationRunner, or on"
					+ " SwooleServerStartedEvent).");
		}
		return external[Math.floorMod(this.nextLoop.getAndIncrement(), external.length)];
	}

	/**
	 * The loop the calling thread is, else the next loop in turn: where a timer for the
	 * caller runs.
	 * @return the loop
	 */
	EventExecutor next() {
		return (EventExecutor) origin().executor();
	}

	private int currentLoopIndex() {
		TaskOrigin[] loops = this.loopOrigins;
		for (int i = 0; i < loops.length; i++) {
			if (((EventExecutor) loops[i].executor()).inEventLoop()) {
				return i;
			}
		}
		return -1;
	}

}
