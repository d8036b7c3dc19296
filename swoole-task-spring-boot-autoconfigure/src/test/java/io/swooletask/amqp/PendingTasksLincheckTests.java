package io.swooletask.amqp;

import java.util.HashSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * {@link PendingTasks} under every interleaving of adds, claims and the stop that the
 * model checker explores: a task added while the stop claims the tasks is refused or
 * claimed by it, never both and never neither, and no task is claimed twice.
 */
@Param(name = "id", gen = LongGen.class, conf = "1:3")
public class PendingTasksLincheckTests {

	private final PendingTasks<Long> tasks = new PendingTasks<>();

	private final AtomicLong ids = new AtomicLong();

	private final Queue<Long> refused = new ConcurrentLinkedQueue<>();

	private final Queue<Long> claimed = new ConcurrentLinkedQueue<>();

	private volatile boolean stopped;

	@Operation
	public void add() {
		long id = this.ids.incrementAndGet();
		if (!this.tasks.add(id, id)) {
			this.refused.add(id);
		}
	}

	@Operation
	public void claim(@Param(name = "id") long id) {
		Long task = this.tasks.claim(id);
		if (task != null) {
			this.claimed.add(task);
		}
	}

	@Operation
	public void claimAll() {
		this.stopped = true;
		this.claimed.addAll(this.tasks.claimAll((task) -> true));
	}

	/**
	 * Checked after each execution; the model checker reports a violation with its
	 * interleaving.
	 */
	@Validate
	public void eachTaskIsRefusedOrClaimedOnce() {
		if (this.stopped && !this.tasks.isEmpty()) {
			throw new IllegalStateException("A task was neither refused nor claimed by the stop");
		}
		if (new HashSet<>(this.claimed).size() != this.claimed.size()) {
			throw new IllegalStateException("A task was claimed twice: " + this.claimed);
		}
		if (this.claimed.stream().anyMatch(this.refused::contains)) {
			throw new IllegalStateException("A task was refused and claimed: " + this.refused + ", " + this.claimed);
		}
	}

	@Test
	void eachTaskAddedWhileTheStopClaimsIsRefusedOrClaimedOnce() {
		new ModelCheckingOptions().iterations(10)
			.invocationsPerIteration(100)
			.threads(2)
			.actorsPerThread(2)
			.actorsBefore(1)
			.actorsAfter(0)
			.check(getClass());
	}

}
