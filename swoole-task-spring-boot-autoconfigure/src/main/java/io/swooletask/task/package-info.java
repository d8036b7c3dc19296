/**
 * The tasks of a server, behind {@code SwooleServer#task}. Nothing here is for applications to call.
 * <p>
 * A task's path is one way: {@link io.swooletask.task.TaskAdmission} (id, capacity, backpressure) →
 * {@link io.swooletask.task.TaskBackend#submit} → a task worker runs its {@code @OnTask} method through
 * {@link io.swooletask.task.TaskInvoker} → {@link io.swooletask.task.FinishDelivery} on the event loop
 * that dispatched it. {@link io.swooletask.task.TaskRuntime} builds these stages and starts, stops and
 * counts them.
 * <p>
 * Types are public only for three readers outside this package: the Netty server (the runtime, the
 * admission, origins and counters), a task backend running tasks elsewhere such as the amqp transport
 * (the {@code TaskBackend} contract and what it is handed), and the configuration
 * ({@code TaskWorkerSettings}, {@code TaskOverflow}, {@code TaskObserver}, {@code MessageObservations}, which
 * the Micrometer observations in {@code io.swooletask.observation} implement). The local pool, its queue
 * and its workers are package-private.
 */
package io.swooletask.task;
