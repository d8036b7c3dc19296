package io.swooletask.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method called on each task worker's own thread before its first task, as
 * Swoole's {@code onWorkerStart} in a task process: the place to open what the worker
 * keeps for itself, such as a connection. It runs again on each new thread that takes a
 * worker's place: when {@code task-max-request} retires the old one, or after a
 * {@code VirtualMachineError}. With the amqp transport it runs on the task workers of
 * each node.
 * <p>
 * Parameters are bound by type, in any order: {@code SwooleServer}, {@code int workerId}.
 * A method that throws is logged; the worker runs on.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface OnWorkerStart {

}
