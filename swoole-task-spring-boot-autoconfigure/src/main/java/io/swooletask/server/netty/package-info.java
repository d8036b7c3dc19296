/**
 * The {@link io.swooletask.server.SwooleServer} on Reactor Netty, built by
 * {@link io.swooletask.server.netty.NettySwooleServerFactory}: its event loops,
 * connections, framing and graceful shutdown.
 */
@NullMarked
package io.swooletask.server.netty;

import org.jspecify.annotations.NullMarked;
