/**
 * The server's API for applications: {@link io.swooletask.server.SwooleServer}, the
 * {@link io.swooletask.server.Connection} and {@link io.swooletask.server.Task} that
 * handler methods are handed, and the exceptions and outcomes of tasks.
 */
@NullMarked
package io.swooletask.server;

import org.jspecify.annotations.NullMarked;
