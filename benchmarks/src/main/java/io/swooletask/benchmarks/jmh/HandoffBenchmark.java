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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The hand-off from {@code task()} to the finish running on the origin event loop, one
 * task at a time on an idle server. Two numbers per benchmark:
 * <ul>
 * <li>the JMH score, a round trip from the benchmark thread: a hop onto the server's
 * loop, the dispatch, the task on a worker, the finish back on the loop, and the wake-up
 * of the benchmark thread; {@link #loopRoundTrip()} is the two hops alone;</li>
 * <li>the hand-off itself, stamped on the loop just before {@code task()} and in the
 * finish handler, printed as percentiles when the trial ends (measurement iterations
 * only).</li>
 * </ul>
 * {@link #threadPool()} is the same hand-off written by hand, as the plain Netty baseline
 * server does it: a {@link ThreadPoolExecutor} of four threads and {@code loop.execute}
 * back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class HandoffBenchmark {

	private ServerFixture fixture;

	private SwooleServer server;

	private EventLoop loop;

	private HandoffRecorder recorder;

	private ThreadPoolExecutor pool;

	@Setup(Level.Trial)
	public void startServer() throws Exception {
		this.fixture = ServerFixture.start();
		this.server = this.fixture.server();
		this.loop = this.fixture.loop();
		this.recorder = new HandoffRecorder(this.loop);
		this.pool = new ThreadPoolExecutor(4, 4, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
	}

	@Setup(Level.Iteration)
	public void startIteration(IterationParams iteration) {
		this.recorder.recording(iteration.getType() == IterationType.MEASUREMENT);
	}

	@TearDown(Level.Trial)
	public void stopServer(BenchmarkParams benchmark) throws Exception {
		try {
			System.out.println();
			System.out.println(this.recorder.summary(benchmark.getBenchmark()));
		}
		finally {
			this.pool.shutdown();
			this.fixture.close();
		}
	}

	@Benchmark
	public void onFinish() throws Exception {
		HandoffProbe probe = new HandoffProbe(this.recorder);
		this.loop.execute(() -> {
			probe.dispatching();
			this.server.task(probe);
		});
		probe.await();
	}

	@Benchmark
	public void callback() throws Exception {
		HandoffProbe probe = new HandoffProbe(this.recorder);
		this.loop.execute(() -> {
			probe.dispatching();
			this.server.task(probe, (task, result) -> probe.finished());
		});
		probe.await();
	}

	@Benchmark
	public void threadPool() throws Exception {
		HandoffProbe probe = new HandoffProbe(this.recorder);
		this.loop.execute(() -> {
			probe.dispatching();
			this.pool.execute(() -> this.loop.execute(probe::finished));
		});
		probe.await();
	}

	@Benchmark
	public long loopRoundTrip() throws Exception {
		return this.loop.submit(System::nanoTime).get();
	}

}
