package io.swooletask.server.netty;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.swooletask.server.ServerShutdownException;
import io.swooletask.task.BackendTask;
import io.swooletask.task.TaskWorkerSettings;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;
import io.swooletask.server.TaskOverflow;

/**
 * Model-checks a {@code task()} racing the pool's stop: a task submitted while the pool
 * stops is either refused or among the tasks the stop reports, never both and never
 * neither. The workers are not started, so every task accepted stays queued until a stop
 * takes it. The operations return nothing: what is checked is this contract, not
 * linearizability (a task accepted concurrently with a second stop and reported by it is
 * fine, though no sequential order explains it).
 */
class TaskWorkerPoolStopLincheckTests {

	@Test
	void everySubmittedTaskIsRefusedOrReportedByTheStop() {
		new ModelCheckingOptions().threads(2)
			.actorsPerThread(2)
			.actorsBefore(0)
			.actorsAfter(0)
			.iterations(20)
			.invocationsPerIteration(300)
			.check(PoolRacingStop.class);
	}

	/**
	 * One thread dispatching, one stopping.
	 */
	public static class PoolRacingStop {

		private final TaskWorkerPool pool = new TaskWorkerPool(new BackendContext(
				new TaskWorkerSettings(2, 0, 0, TaskWorkerSettings.WorkerThreads.platform(), 16,
						TaskOverflow.BACKPRESSURE, 0, 1, true),
				new HandlerMethodProcessor().handlers(), new TaskCapacity(16, 1, () -> {
				}), null, null, new ConnectionRegistry(1, true, 0)));

		private final TaskOrigin origin = new TaskOrigin(Runnable::run, -1, null, true);

		private final AtomicLong ids = new AtomicLong();

		private final Set<DispatchedTask> accepted = ConcurrentHashMap.newKeySet();

		private final Set<BackendTask> reported = ConcurrentHashMap.newKeySet();

		private volatile boolean stopCalled;

		@Operation(nonParallelGroup = "dispatcher")
		public void submit() {
			DispatchedTask task = new DispatchedTask(this.ids.incrementAndGet(), "data", null, -1, null, this.origin,
					null, 0, null);
			try {
				this.pool.submit(task);
				this.accepted.add(task);
			}
			catch (ServerShutdownException ex) {
				// refused: the caller knows
			}
		}

		@Operation(nonParallelGroup = "stopper")
		public void stop() {
			this.stopCalled = true;
			this.reported.addAll(this.pool.stop(0));
		}

		@Validate
		public void noTaskIsLostOrReportedWhenRefused() {
			if (!this.stopCalled) {
				return;
			}
			if (!this.reported.containsAll(this.accepted)) {
				throw new IllegalStateException("A task was accepted after the stop took the queue: nothing will run"
						+ " it or report it (accepted " + this.accepted.size() + ", reported " + this.reported.size()
						+ ")");
			}
			if (!this.accepted.containsAll(this.reported)) {
				throw new IllegalStateException("The stop reported a task that submit refused");
			}
		}

	}

}
