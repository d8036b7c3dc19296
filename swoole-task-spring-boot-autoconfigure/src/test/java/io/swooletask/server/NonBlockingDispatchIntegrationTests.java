package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.SwooleContextRunner;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code task()} waits for room in a full queue only on a thread that may block: never on
 * a thread Reactor marks non-blocking, a Netty event loop (the server's or another), or a
 * task worker. Every wait here is bounded well below {@code task-enqueue-timeout}, so a
 * call that waited for room fails the test instead of passing late.
 */
class NonBlockingDispatchIntegrationTests {

	private static final Duration ENQUEUE_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration AT_ONCE = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(BlockingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=2",
				"swoole.server.task-queue-capacity=2",
				"swoole.server.task-enqueue-timeout=" + ENQUEUE_TIMEOUT.toSeconds() + "s",
				// bounds the context close of a red run, where task workers wait for room
				"swoole.server.shutdown-timeout=5s");

	@Test
	void taskOnAReactorNonBlockingThreadDoesNotWaitForRoomAndIsRejected() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			CountDownLatch release = new CountDownLatch(1);
			try {
				fillQueue(server, release);
				AtomicBoolean nonBlocking = new AtomicBoolean();
				CompletableFuture<Long> dispatched = callOn(Schedulers.parallel()::schedule, () -> {
					nonBlocking.set(Schedulers.isInNonBlockingThread());
					return server.task("more");
				});
				atOnce("task() on " + Schedulers.parallel() + " returned or threw").until(dispatched::isDone);
				assertThat(nonBlocking).as("ran on a non-blocking thread").isTrue();
				assertThatExceptionOfType(CompletionException.class).isThrownBy(dispatched::join)
					.havingCause()
					.isInstanceOf(TaskRejectedException.class);
			}
			finally {
				release.countDown();
			}
		});
	}

	@Test
	void taskOnAForeignNettyEventLoopDoesNotWaitForRoom() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			CountDownLatch release = new CountDownLatch(1);
			EventLoopGroup foreign = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
			try {
				fillQueue(server, release);
				CompletableFuture<Long> dispatched = callOn(foreign.next(), () -> server.task("more"));
				atOnce("task() on a foreign Netty event loop returned or threw").until(dispatched::isDone);
				// either admitted, as on the server's own loops, or refused: never a wait
				// for room
				assertThat(dispatched).satisfiesAnyOf(
						(outcome) -> assertThat(outcome).isCompletedWithValueMatching((id) -> id > 0, "a task id"),
						(outcome) -> assertThatExceptionOfType(CompletionException.class).isThrownBy(outcome::join)
							.havingCause()
							.isInstanceOf(TaskRejectedException.class));
			}
			finally {
				release.countDown();
				foreign.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(AT_ONCE.toMillis());
			}
		});
	}

	@Test
	void taskWorkersDispatchingIntoAFullQueueDoNotDeadlock() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			CountDownLatch gate = new CountDownLatch(1);
			Queue<Integer> subTasksRun = new ConcurrentLinkedQueue<>();
			List<CompletableFuture<String>> parents = new ArrayList<>();
			try {
				// two parents running, one on each worker, and two more filling the queue
				parents.add(server.taskAsync(new Parent(0, gate, subTasksRun)));
				parents.add(server.taskAsync(new Parent(1, gate, subTasksRun)));
				atOnce("both workers running a parent").until(() -> server.stats().taskRunning() == 2);
				parents.add(server.taskAsync(new Parent(2, gate, subTasksRun)));
				parents.add(server.taskAsync(new Parent(3, gate, subTasksRun)));
				atOnce("the queue full").until(() -> server.stats().taskingNum() == 2);
				gate.countDown();
				atOnce("every parent task and its sub-task done")
					.until(() -> parents.stream().allMatch(CompletableFuture::isDone) && subTasksRun.size() == 4);
				assertThat(parents).extracting(CompletableFuture::join)
					.containsExactly("parent 0", "parent 1", "parent 2", "parent 3");
				assertThat(subTasksRun).containsExactlyInAnyOrder(0, 1, 2, 3);
			}
			finally {
				gate.countDown();
			}
		});
	}

	@Test
	void taskwaitOnAReactorNonBlockingThreadIsRefusedAtOnce() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			CountDownLatch release = new CountDownLatch(1);
			try {
				CompletableFuture<String> waited = callOn(Schedulers.parallel()::schedule,
						() -> server.taskwait(new Hold(release), ENQUEUE_TIMEOUT));
				atOnce("taskwait on " + Schedulers.parallel() + " returned or threw").until(waited::isDone);
				assertThatExceptionOfType(CompletionException.class).isThrownBy(waited::join)
					.havingCause()
					.isInstanceOf(IllegalStateException.class);
			}
			finally {
				release.countDown();
			}
		});
	}

	/**
	 * Blocks both task workers and fills the queue's two places behind them.
	 */
	private static void fillQueue(SwooleServer server, CountDownLatch release) {
		server.task(new Hold(release));
		server.task(new Hold(release));
		atOnce("both workers blocked").until(() -> server.stats().taskRunning() == 2);
		server.task(new Hold(release));
		server.task(new Hold(release));
		atOnce("the queue full").until(() -> server.stats().taskingNum() == 2);
	}

	private static <T> CompletableFuture<T> callOn(Executor executor, Callable<T> call) {
		CompletableFuture<T> outcome = new CompletableFuture<>();
		executor.execute(() -> {
			try {
				outcome.complete(call.call());
			}
			catch (Throwable ex) {
				outcome.completeExceptionally(ex);
			}
		});
		return outcome;
	}

	/**
	 * Well below {@link #ENQUEUE_TIMEOUT}: a call that waited for room does not end in
	 * time.
	 */
	private static ConditionFactory atOnce(String what) {
		return await(what).atMost(AT_ONCE);
	}

	record Hold(CountDownLatch release) {

	}

	record Parent(int id, CountDownLatch gate, Queue<Integer> subTasksRun) {

	}

	record Sub(int id, Queue<Integer> subTasksRun) {

	}

	static class BlockingHandlers {

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		String text(String data) {
			return data;
		}

		@OnTask
		String hold(Hold hold) throws InterruptedException {
			hold.release().await(30, TimeUnit.SECONDS);
			return "released";
		}

		@OnTask
		String parent(SwooleServer server, Parent parent) throws InterruptedException {
			parent.gate().await(30, TimeUnit.SECONDS);
			server.task(new Sub(parent.id(), parent.subTasksRun()));
			return "parent " + parent.id();
		}

		@OnTask
		String sub(Sub sub) {
			sub.subTasksRun().add(sub.id());
			return "sub " + sub.id();
		}

		@OnFinish
		void finish(Object result) {
		}

	}

}
