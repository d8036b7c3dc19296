package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.swooletask.annotation.OnTask;
import io.swooletask.annotation.OnWorkerStart;
import io.swooletask.annotation.OnWorkerStop;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @OnWorkerStart} and {@code @OnWorkerStop} on the local task workers: each on the
 * worker's own thread, before its first task and after its last, for every thread that
 * serves a worker id.
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerLifecycleIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2");

	@Test
	void eachWorkerStartsBeforeItsFirstTaskAndStopsAfterItsLastOnItsOwnThread() {
		Recorder recorder = new Recorder();
		this.runner.withBean(Recorder.class, () -> recorder).run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			for (int i = 0; i < 20; i++) {
				assertThat(server.<String>taskwait("t" + i, TIMEOUT)).isEqualTo("t" + i);
			}
		});
		Map<String, List<String>> byThread = recorder.byThread();
		assertThat(byThread).hasSize(2);
		byThread.forEach((thread, events) -> {
			assertThat(events.get(0)).as("first on %s", thread).startsWith("start ");
			assertThat(events.get(events.size() - 1)).as("last on %s", thread).startsWith("stop ");
			assertThat(events.subList(1, events.size() - 1)).as("between on %s", thread)
				.allMatch((e) -> e.startsWith("task"));
		});
		assertThat(recorder.events).filteredOn((e) -> e.event().startsWith("start"))
			.extracting(Event::event)
			.containsExactlyInAnyOrder("start 0", "start 1");
	}

	@Test
	void everyWorkerHasStoppedWhenTheContextHasClosed() {
		SlowStop recorder = new SlowStop();
		this.runner.withBean(SlowStop.class, () -> recorder)
			.run((context) -> assertThat(context.getBean(SwooleServer.class).<String>taskwait("x", TIMEOUT))
				.isEqualTo("x"));
		assertThat(recorder.events).as("events when the context had closed").contains("stop 0", "stop 1");
	}

	@Test
	void aRetiredThreadStopsBeforeTheThreadTakingItsPlaceStarts() {
		Recorder recorder = new Recorder();
		this.runner.withBean(Recorder.class, () -> recorder)
			.withPropertyValues("swoole.server.task-worker-num=1", "swoole.server.task-max-request=2")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				for (int i = 0; i < 5; i++) {
					assertThat(server.<String>taskwait("t" + i, TIMEOUT)).isEqualTo("t" + i);
				}
			});
		assertThat(recorder.events).extracting(Event::event)
			.containsExactly("start 0", "task t0", "task t1", "stop 0", "start 0", "task t2", "task t3", "stop 0",
					"start 0", "task t4", "stop 0");
		assertThat(recorder.byThread()).hasSize(3);
	}

	@Test
	void aThreadEndedByAVirtualMachineErrorStopsBeforeItsReplacementStarts(CapturedOutput output) {
		Recorder recorder = new Recorder();
		this.runner.withBean(Recorder.class, () -> recorder)
			.withPropertyValues("swoole.server.task-worker-num=1")
			.run((context) -> {
				SwooleServer server = context.getBean(SwooleServer.class);
				assertThat(server.taskAsync(new Overflow())).failsWithin(TIMEOUT);
				assertThat(server.<String>taskwait("after", TIMEOUT)).isEqualTo("after");
			});
		assertThat(recorder.events).extracting(Event::event)
			.containsExactly("start 0", "task overflow", "stop 0", "start 0", "task after", "stop 0");
		assertThat(output).contains("Task worker 0 ended its thread on java.lang.StackOverflowError");
	}

	@Test
	void aWorkerStartThatThrowsIsLoggedAndTheWorkerRunsOn(CapturedOutput output) {
		this.runner.withBean(FailingStart.class)
			.withPropertyValues("swoole.server.task-worker-num=1")
			.run((context) -> {
				assertThat(context.getBean(NettySwooleServer.class).<String>taskwait("x", TIMEOUT)).isEqualTo("x");
				assertThat(output).containsOnlyOnce("FailingStart.start failed on task worker 0; the worker runs on")
					.contains("java.lang.IllegalStateException: SMTP server unreachable");
			});
	}

	@Test
	void aWorkerStartWithAParameterItCannotBindFailsTheStart() {
		this.runner.withBean(BadStart.class)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HandlerDefinitionException.class)
				.hasMessageContaining("@OnWorkerStart method 'start' of bean")
				.hasMessageContaining("Declare only these parameters, each at most once, in any order: SwooleServer,"
						+ " int workerId."));
	}

	record Overflow() {

	}

	record Event(String thread, String event) {

	}

	static class Recorder {

		final Queue<Event> events = new ConcurrentLinkedQueue<>();

		@OnWorkerStart
		void start(int workerId, SwooleServer server) {
			record("start " + workerId);
		}

		@OnWorkerStop
		void stop(SwooleServer server, int workerId) {
			record("stop " + workerId);
		}

		@OnTask
		String task(String data) {
			record("task " + data);
			return data;
		}

		@OnTask
		String overflow(Overflow overflow) {
			record("task overflow");
			throw new StackOverflowError();
		}

		private void record(String event) {
			this.events.add(new Event(Thread.currentThread().getName() + "#" + Thread.currentThread().getId(), event));
		}

		Map<String, List<String>> byThread() {
			return this.events.stream()
				.collect(Collectors.groupingBy(Event::thread,
						Collectors.mapping(Event::event, Collectors.toCollection(ArrayList::new))));
		}

	}

	static class SlowStop {

		final Queue<String> events = new ConcurrentLinkedQueue<>();

		@OnWorkerStop
		void stop(int workerId) {
			// closing what the worker opened (a connection, a file) takes a moment: this
			// is the handler's
			// behaviour, not a wait for a condition
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
			this.events.add("stop " + workerId);
		}

		@OnTask
		String run(String data) {
			return data;
		}

	}

	static class FailingStart {

		@OnWorkerStart
		void start() {
			throw new IllegalStateException("SMTP server unreachable");
		}

		@OnTask
		String task(String data) {
			return data;
		}

	}

	static class BadStart {

		@OnWorkerStart
		void start(String data) {
		}

	}

}
