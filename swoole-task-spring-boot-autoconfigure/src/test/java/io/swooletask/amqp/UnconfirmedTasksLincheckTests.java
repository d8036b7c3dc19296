package io.swooletask.amqp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jetbrains.lincheck.datastructures.BooleanGen;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * {@link UnconfirmedTasks} under every interleaving of adds, confirms, refusals, abandons
 * and the channel's shutdown that the model checker explores: each task added is
 * confirmed, refused or abandoned once, never twice and never not at all once the channel
 * has shut down, and so gives back its place in the window once.
 */
@Param(name = "sequence", gen = LongGen.class, conf = "1:3")
@Param(name = "multiple", gen = BooleanGen.class)
public class UnconfirmedTasksLincheckTests {

	private final Queue<Long> confirmed = new ConcurrentLinkedQueue<>();

	private final Queue<Long> refused = new ConcurrentLinkedQueue<>();

	private final Queue<Long> abandoned = new ConcurrentLinkedQueue<>();

	private final UnconfirmedTasks<Long> tasks = new UnconfirmedTasks<>(new UnconfirmedTasks.Outcome<>() {

		@Override
		public void confirmed(Long task) {
			UnconfirmedTasksLincheckTests.this.confirmed.add(task);
		}

		@Override
		public void refused(Long task) {
			UnconfirmedTasksLincheckTests.this.refused.add(task);
		}

		@Override
		public void abandoned(Long task) {
			UnconfirmedTasksLincheckTests.this.abandoned.add(task);
		}

	});

	private final AtomicLong sequences = new AtomicLong();

	private volatile boolean shutDown;

	@Operation
	public void add() {
		long sequence = this.sequences.incrementAndGet();
		this.tasks.add(sequence, sequence);
	}

	@Operation
	public void ack(@Param(name = "sequence") long sequence, @Param(name = "multiple") boolean multiple) {
		this.tasks.handleAck(sequence, multiple);
	}

	@Operation
	public void nack(@Param(name = "sequence") long sequence, @Param(name = "multiple") boolean multiple) {
		this.tasks.handleNack(sequence, multiple);
	}

	@Operation
	public void abandon(@Param(name = "sequence") long sequence) {
		this.tasks.abandon((task) -> task == sequence);
	}

	@Operation
	public void sendAgain() {
		this.shutDown = true;
		this.tasks.sendAgain();
	}

	/**
	 * Checked after each execution; the model checker reports a violation with its
	 * interleaving.
	 */
	@Validate
	public void eachTaskIsConfirmedOrRefusedOnce() {
		List<Long> ended = new ArrayList<>(this.confirmed);
		ended.addAll(this.refused);
		ended.addAll(this.abandoned);
		if (new HashSet<>(ended).size() != ended.size()) {
			throw new IllegalStateException("A task ended twice: confirmed " + this.confirmed + ", refused "
					+ this.refused + ", abandoned " + this.abandoned);
		}
		if (ended.size() + this.tasks.size() != this.sequences.get()) {
			throw new IllegalStateException(this.sequences.get() + " tasks added, " + ended.size() + " ended, "
					+ this.tasks.size() + " unconfirmed: a task was lost with its place in the window");
		}
		if (this.shutDown && this.tasks.size() != 0) {
			throw new IllegalStateException("A task added while the channel shut down was never sent again");
		}
	}

	@Test
	void eachTaskAddedWhileTheChannelShutsDownIsConfirmedOrSentAgainOnce() {
		new ModelCheckingOptions().iterations(10)
			.invocationsPerIteration(50)
			.threads(2)
			.actorsPerThread(2)
			.actorsBefore(1)
			.actorsAfter(0)
			.check(getClass());
	}

}
