package io.swooletask.server;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The running server, as Swoole's {@code Swoole\Server}: hands work to task workers and
 * writes to connections. Inject it, or declare it as a parameter of a handler method.
 * Every method is safe to call from any thread.
 * <p>
 * A task's finish event runs on the event loop that dispatched it: the loop of the
 * connection whose event was being handled, or, for a task dispatched from any other
 * thread, one of the server's loops.
 */
public interface SwooleServer {

	/**
	 * Hands {@code data} to the next idle task worker, as Swoole's
	 * {@code $server->task($data)}. Never blocks an event loop. The task's finish results
	 * go to the {@code @OnFinish} method that matches their type.
	 * @param data the task data, converted before any task worker sees it; never
	 * {@code null}
	 * @return the task id: global and increasing
	 * @throws TaskRejectedException if the task queue is full and the overflow policy
	 * rejects it
	 */
	long task(Object data);

	/**
	 * Hands {@code data} to one task worker, as Swoole's
	 * {@code $server->task($data, $dstWorkerId)}. Tasks targeted at one worker run in the
	 * order they were dispatched.
	 * @param data the task data; never {@code null}
	 * @param dstWorkerId the task worker, from 0 to {@code task-worker-num - 1}; -1 for
	 * any, as in Swoole
	 * @return the task id
	 * @throws IllegalArgumentException if the worker id is out of range
	 */
	long task(Object data, int dstWorkerId);

	/**
	 * Hands {@code data} to a task worker after every task dispatched before it with an
	 * equal key: tasks with equal keys run one at a time, in the order they were
	 * dispatched, and tasks with other keys in parallel. A chat room keys by sender, so
	 * that each person's lines keep their order. Its finish events go to
	 * {@code @OnFinish}, as with {@link #task(Object)}.
	 * <p>
	 * Locally, a key picks one task worker, which takes the tasks of its keys in order; a
	 * slow task holds back the later tasks of every key on that worker. With the amqp
	 * transport, a key picks one of {@code swoole.server.amqp.ordered-partitions} queues,
	 * which one worker of one node at a time takes, in order. Delivery there is at least
	 * once: a task delivered again after a worker node died on it, or sent again after
	 * the broker did not confirm it, may run a second time after later ones of its key.
	 * There the key is hashed by its {@code toString()}, which must be the same on every
	 * node.
	 * @param key what orders the task, compared by {@code equals} and {@code hashCode},
	 * which must not change while its tasks are queued; never {@code null}. Tasks of one
	 * key dispatched from several threads at once run in the order they were queued,
	 * which need not be the order of their ids
	 * @param data the task data; never {@code null}
	 * @return the task id
	 * @throws UnsupportedOperationException if the task transport cannot keep the order:
	 * with the amqp transport and {@code ordered-partitions} 0
	 * @throws TaskRejectedException if the task queue is full and the overflow policy
	 * rejects it
	 */
	long taskOrdered(Object key, Object data);

	/**
	 * Hands {@code data} to the next idle task worker; its finish results go to
	 * {@code callback} instead of {@code @OnFinish}, on the thread where
	 * {@code @OnFinish} would run.
	 * @param <R> the result type the callback expects
	 * @param data the task data; never {@code null}
	 * @param callback receives each finish result
	 * @return the task id
	 */
	<R> long task(Object data, FinishCallback<R> callback);

	/**
	 * Hands {@code data} to one task worker; its finish results go to {@code callback}.
	 * @param <R> the result type the callback expects
	 * @param data the task data; never {@code null}
	 * @param dstWorkerId the task worker, from 0 to {@code task-worker-num - 1}; -1 for
	 * any
	 * @param callback receives each finish result
	 * @return the task id
	 */
	<R> long task(Object data, int dstWorkerId, FinishCallback<R> callback);

	/**
	 * Hands {@code data} to the next idle task worker and returns its first result as a
	 * future, which completes on the thread where {@code @OnFinish} would run. The future
	 * fails with the task's own exception if the task throws, and with a
	 * {@link TaskNoResultException} if the task ends without a result. {@code @OnFinish}
	 * is not called for this task.
	 * @param <R> the result type
	 * @param data the task data; never {@code null}
	 * @return the first result
	 */
	<R> CompletableFuture<R> taskAsync(Object data);

	/**
	 * Runs a task and waits for its first result, as Swoole's {@code taskwait}. Where
	 * Swoole returns {@code false} on timeout, this throws {@link TaskTimeoutException},
	 * so a {@code false} result is never mistaken for a timeout. The task keeps running
	 * after a timeout; its result is dropped.
	 * @param <R> the result type
	 * @param data the task data; never {@code null}
	 * @param timeout how long to wait
	 * @return the first result
	 * @throws TaskTimeoutException if no result came within {@code timeout}
	 * @throws TaskFailedException if the task threw, or ended without a result
	 * @throws IllegalStateException on an event loop or a task worker, where waiting
	 * would block the thread that must deliver the result
	 */
	<R> R taskwait(Object data, Duration timeout);

	/**
	 * Runs several tasks at once and waits up to {@code timeout} for all of them, as
	 * Swoole's {@code taskWaitMulti}, without Swoole's limit of 1,023 tasks.
	 * @param data the data of each task; none {@code null}
	 * @param timeout how long to wait for all of them together
	 * @return one outcome per task, in the order of {@code data}
	 * @throws IllegalStateException on an event loop or a task worker
	 */
	List<TaskOutcome> taskWaitMulti(List<?> data, Duration timeout);

	/**
	 * Runs several tasks at once and completes a future with their outcomes once all have
	 * one or {@code timeout} has passed, as Swoole's {@code taskCo}, but without waiting:
	 * usable on an event loop (an {@code @OnReceive} method, a WebFlux controller). The
	 * future completes on one of the server's event loops, or at once if every task was
	 * refused. A task that {@code task()} refuses (a full queue, a stopping server, data
	 * no {@code @OnTask} method takes) has that refusal as its failure; the others still
	 * run. A timeout too long to count in nanoseconds is none.
	 * @param data the data of each task; none {@code null}
	 * @param timeout how long the tasks have, together
	 * @return one outcome per task, in the order of {@code data}: its first result, its
	 * failure, or {@link TaskOutcome#timedOut()}
	 */
	CompletableFuture<List<TaskOutcome>> taskAsyncMulti(List<?> data, Duration timeout);

	/**
	 * Sends a result of the task running on this thread to its finish handler, as
	 * Swoole's {@code $server->finish($result)}. Each call is one finish event.
	 * @param result the result; never {@code null}
	 * @throws IllegalStateException if this thread is not running a task
	 */
	void finish(Object result);

	/**
	 * Writes UTF-8 text to a connection.
	 * @param fd the connection id
	 * @param data the text
	 * @return {@code false} if the connection is closed or its output buffer is full
	 */
	boolean send(long fd, String data);

	/**
	 * Writes bytes to a connection.
	 * @param fd the connection id
	 * @param data the bytes
	 * @return {@code false} if the connection is closed or its output buffer is full
	 */
	boolean send(long fd, byte[] data);

	/**
	 * Writes UTF-8 text to every open connection, each under its own
	 * {@code buffer-output-size}: a connection whose output is full misses the text, and
	 * the others do not wait for it. Call it from a task, so that the loop over the
	 * connections does not hold up an event loop.
	 * <p>
	 * With the amqp transport it reaches every open connection of every node that serves
	 * clients, through the broker: it returns once the text is handed on, and each node
	 * writes it to its connections when it arrives. The broadcasts of one thread reach
	 * each connection in the order they were made.
	 * @param data the text
	 * @return how many connections took it; 0 with the amqp transport, where each node
	 * counts the writes its connections did not take
	 * @throws IllegalStateException with the amqp transport, if the text is larger than
	 * {@code buffer-output-size}, the node is stopping, or too many of its writes to
	 * other nodes wait for the broker
	 */
	int broadcast(String data);

	/**
	 * Closes a connection after what was sent to it is flushed.
	 * @param fd the connection id
	 * @return {@code false} if no such connection is open
	 */
	boolean close(long fd);

	/**
	 * Tells whether a connection is open.
	 * @param fd the connection id
	 * @return whether it is open
	 */
	boolean exists(long fd);

	/**
	 * Looks up an open connection.
	 * @param fd the connection id
	 * @return the connection, if open
	 */
	Optional<Connection> connection(long fd);

	/**
	 * The open connections.
	 * @return a snapshot of the open connections
	 */
	Collection<Connection> connections();

	/**
	 * The server's counters, as Swoole's {@code stats()}.
	 * @return a snapshot
	 */
	ServerStats stats();

	/**
	 * The port the server is bound to.
	 * @return the bound port, or -1 before the server is bound
	 */
	int port();

}
