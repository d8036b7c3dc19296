/**
 * The task backend SPI, for a new task transport: a
 * {@link io.swooletask.task.TaskBackend} and its {@code Factory} receive one
 * {@code Context}, which runs a task's {@code @OnTask} method and takes its result,
 * failure and end; the {@link io.swooletask.task.BackendTask} a backend is handed; the
 * {@link io.swooletask.task.MessageObservations} it reports its steps to; the
 * {@link io.swooletask.task.TaskObserver} of metrics; and the
 * {@link io.swooletask.task.TaskWorkerSettings} of its workers. It uses nothing but the
 * API in {@code io.swooletask.server}; the local backend lives with the server, in
 * {@code io.swooletask.server.netty}.
 */
@NullMarked
package io.swooletask.task;

import org.jspecify.annotations.NullMarked;
