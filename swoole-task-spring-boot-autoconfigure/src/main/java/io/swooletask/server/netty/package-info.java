/**
 * The {@link io.swooletask.server.SwooleServer} on Reactor Netty, built by
 * {@link io.swooletask.server.netty.NettySwooleServerFactory}: its event loops,
 * connections and framing; the application's handler methods, found by
 * {@link io.swooletask.server.netty.HandlerMethodProcessor} and bound once; the tasks,
 * from admission through the local task workers (or another
 * {@link io.swooletask.task.TaskBackend}) to the finish on the loop that dispatched them;
 * and the graceful shutdown of all of it. Public here are the server, its factory, the
 * discovery post-processor and the {@code @Reflective} processor the annotations name;
 * the rest is package-private.
 */
@NullMarked
package io.swooletask.server.netty;

import org.jspecify.annotations.NullMarked;
