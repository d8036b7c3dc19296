package io.swooletask.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks the method that handles data received on a connection, as Swoole's
 * {@code onReceive}.
 * <p>
 * It runs on the connection's event loop (a Swoole worker) and must not block: hand slow
 * work to {@link io.swooletask.server.SwooleServer#task(Object)}. Parameters are bound by
 * type, in any order: {@code SwooleServer}, {@code Connection}, {@code long fd},
 * {@code int reactorId} and the data as {@code String} (UTF-8), {@code byte[]} or
 * {@code ByteBuffer}. One method per application.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface OnReceive {

}
