package io.swooletask.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method called on each task worker's own thread after its last task, as Swoole's
 * {@code onWorkerStop} in a task process: the place to close what {@code @OnWorkerStart}
 * opened. It runs also when a thread hands its worker over to a new one
 * ({@code task-max-request}, a {@code VirtualMachineError}), before the new thread's
 * {@code @OnWorkerStart}. With the amqp transport it runs on the task workers of each
 * node.
 * <p>
 * Parameters are bound by type, in any order: {@code SwooleServer}, {@code int workerId}.
 * A method that throws is logged; the worker runs on.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective
public @interface OnWorkerStop {

}
