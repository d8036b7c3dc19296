package io.swooletask.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method called once when a connection is closed, by either side, as Swoole's
 * {@code onClose}.
 * <p>
 * It runs on the connection's event loop. Parameters are bound by type, in any order:
 * {@code SwooleServer}, {@code Connection}, {@code long fd}, {@code int reactorId}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface OnClose {

}
