package io.swooletask.amqp;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.rabbitmq.client.Channel;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

import io.swooletask.server.TaskQueueType;

/**
 * The intake of the real {@link NodeOutbox} under every interleaving of writes and the
 * node's stop that the model checker explores: a write is refused at once, or taken and
 * then sent or counted when the stop gives up on it, never taken and forgotten. The
 * outbox's sending thread is not started, so every write taken waits, and it never asks
 * for a channel: no broker is involved.
 */
public class NodeOutboxLincheckTests {

	private static final String NODE = "0".repeat(32);

	private final NodeOutbox outbox = new NodeOutbox(NodeOutboxLincheckTests::noBroker,
			new AmqpTopology("tasks", TaskQueueType.QUORUM, NODE, 5, Duration.ofMinutes(1), 1, true), 1024);

	private final AtomicInteger writes = new AtomicInteger();

	private final AtomicInteger taken = new AtomicInteger();

	private volatile boolean stopped;

	@Operation
	public boolean send() {
		this.writes.incrementAndGet();
		boolean sent = this.outbox.send(NODE, 1, new byte[] { 1 });
		if (sent) {
			this.taken.incrementAndGet();
		}
		return sent;
	}

	@Operation
	public void stop() {
		this.stopped = true;
		this.outbox.stop(new StopDeadline(System.nanoTime()));
	}

	/**
	 * Checked after each execution; the model checker reports a violation with its
	 * interleaving.
	 */
	@Validate
	public void everyWriteIsWaitingOrCounted() {
		if (this.stopped) {
			if (this.outbox.refused() != this.writes.get()) {
				throw new IllegalStateException(this.writes.get() + " writes, " + this.outbox.refused()
						+ " refused or given up at the stop: a write was taken and forgotten");
			}
		}
		else if (this.outbox.waiting() != this.taken.get()) {
			throw new IllegalStateException(this.taken.get() + " writes taken, " + this.outbox.waiting() + " waiting");
		}
	}

	private static Channel noBroker() {
		throw new IllegalStateException("The outbox's thread is not started: it opens no channel");
	}

	@Test
	void noWriteTakenAsTheNodeStopsIsForgotten() {
		new ModelCheckingOptions().iterations(20)
			.invocationsPerIteration(50)
			.threads(2)
			.actorsPerThread(2)
			.actorsBefore(1)
			.actorsAfter(0)
			.check(getClass());
	}

}
