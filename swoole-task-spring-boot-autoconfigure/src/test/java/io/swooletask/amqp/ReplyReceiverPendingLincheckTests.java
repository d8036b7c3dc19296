package io.swooletask.amqp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingReply}, the entry the {@link ReplyReceiver} keeps per task, under every
 * interleaving the model checker explores of the reply consumer delivering finish results
 * and ending the task, and the reply timeout or the stop claiming it: the task ends once,
 * and no finish result is delivered after it ended.
 */
@Param(name = "sequence", gen = IntGen.class, conf = "0:2")
public class ReplyReceiverPendingLincheckTests {

	private final PendingReply pending = new PendingReply(null, 0);

	private final List<String> events = new CopyOnWriteArrayList<>();

	@Operation
	public boolean finish(@Param(name = "sequence") int sequence) {
		return this.pending.finish(sequence, () -> this.events.add("finish " + sequence));
	}

	@Operation
	public boolean lastReply(@Param(name = "sequence") int sequence) {
		boolean claimed = this.pending.claim(sequence, () -> this.events.add("finish " + sequence));
		if (claimed) {
			this.events.add("end");
		}
		return claimed;
	}

	@Operation
	public boolean timeout() {
		boolean claimed = this.pending.claim();
		if (claimed) {
			this.events.add("end");
		}
		return claimed;
	}

	/**
	 * Checked after each execution; the model checker reports a violation with its
	 * interleaving.
	 */
	@Validate
	public void endsOnceAndNothingIsDeliveredAfterTheEnd() {
		int end = this.events.indexOf("end");
		if (end >= 0 && (this.events.lastIndexOf("end") != end || end != this.events.size() - 1)) {
			throw new IllegalStateException("Delivered after the end, or ended twice: " + this.events);
		}
		if (this.events.stream().distinct().count() != this.events.size()) {
			throw new IllegalStateException("A finish result delivered twice: " + this.events);
		}
	}

	@Test
	void eachTaskEndsOnceAndNoFinishFollowsItsEnd() {
		new ModelCheckingOptions().iterations(10)
			.invocationsPerIteration(100)
			.threads(2)
			.actorsPerThread(2)
			.actorsBefore(1)
			.actorsAfter(1)
			.check(getClass());
	}

}
