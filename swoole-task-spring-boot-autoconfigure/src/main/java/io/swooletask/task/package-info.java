/**
 * The tasks of a server, behind {@code SwooleServer#task}. Nothing here is for
 * applications to call.
 * <p>
 * A task's path is one way: {@code TaskAdmission} (id, capacity, backpressure) →
 * {@link io.swooletask.task.TaskBackend#submit} → a task worker runs its {@code @OnTask}
 * method through {@code TaskInvoker} → {@code FinishDelivery} on the event loop that
 * dispatched it. {@link io.swooletask.task.TaskRuntime} builds these stages and starts,
 * stops and counts them.
 * <p>
 * Public here are the backend SPI ({@code TaskBackend}, its {@code Context} and
 * {@code Factory}, the {@code DispatchedTask} it is handed, {@code MessageObservations},
 * {@code TaskObserver}) and the seam the Netty server builds the tasks through
 * ({@code TaskRuntime}, {@code TaskOrigin}, {@code TaskCounters},
 * {@code TaskWorkerSettings}); {@code ArchitectureTests} holds the list. The stages
 * themselves are package-private.
 */
@NullMarked
package io.swooletask.task;

import org.jspecify.annotations.NullMarked;
