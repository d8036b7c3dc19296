package io.swooletask.benchmarks.jmh;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.swooletask.server.SwooleServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of {@link SwooleServer#task(Object)} on an event loop. Each invocation runs a
 * batch of {@value #BATCH} dispatches on one of the server's own loops
 * ({@code loop.submit(batch).get()}), so the score is the time per dispatch plus a
 * thousandth of one hop to the loop and back; {@link #loopHop()} is that hop alone, per
 * the same thousand. The tasks do nothing and send no finish, and before each invocation
 * (untimed) the queue is left to drain, so every batch starts on an empty queue with idle
 * workers: each dispatch queues a task and may wake a parked worker, which then competes
 * for the machine's cores as it would in a server. {@link #threadPoolExecute()} is the
 * same batch handed to a {@link ThreadPoolExecutor} of four threads, as the plain Netty
 * baseline server does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class DispatchBenchmark {

	static final int BATCH = 1_000;

	private ServerFixture fixture;

	private SwooleServer server;

	private EventLoop loop;

	private ThreadPoolExecutor pool;

	@Setup(Level.Trial)
	public void startServer() throws Exception {
		this.fixture = ServerFixture.start();
		this.server = this.fixture.server();
		this.loop = this.fixture.loop();
		this.pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
	}

	@Setup(Level.Invocation)
	public void awaitEmptyQueues() {
		this.fixture.awaitTasksDone();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.pool.getCompletedTaskCount() < this.pool.getTaskCount()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The thread pool did not drain in 10 s: " + this.pool);
			}
			Thread.onSpinWait();
		}
	}

	@TearDown(Level.Trial)
	public void stopServer() throws Exception {
		this.pool.shutdown();
		this.fixture.close();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public long task() throws Exception {
		return this.loop.submit(this::dispatchBatch).get();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public long loopHop() throws Exception {
		return this.loop.submit(System::nanoTime).get();
	}

	@Benchmark
	@OperationsPerInvocation(BATCH)
	public long threadPoolExecute() throws Exception {
		return this.loop.submit(this::executeBatch).get();
	}

	private long executeBatch() {
		for (int i = 0; i < BATCH; i++) {
			this.pool.execute(DispatchBenchmark::noTask);
		}
		return this.pool.getQueue().size();
	}

	private static void noTask() {
	}

	private long dispatchBatch() {
		long taskId = 0;
		for (int i = 0; i < BATCH; i++) {
			taskId = this.server.task(DispatchProbe.INSTANCE);
		}
		return taskId;
	}

}
