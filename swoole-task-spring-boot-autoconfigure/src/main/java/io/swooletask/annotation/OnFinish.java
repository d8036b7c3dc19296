package io.swooletask.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swooletask.server.netty.TaskPayloadReflectiveProcessor;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method that receives a task's result, as Swoole's {@code onFinish}.
 * <p>
 * It runs on the event loop that dispatched the task. Parameters are bound by type, in
 * any order: {@code SwooleServer}, {@code Task}, {@code long taskId}, the result (any
 * type) and the origin {@code Connection}, which is {@code null} for a task dispatched
 * outside a connection event (declare it {@code @Nullable}). With several methods, a
 * result goes to the one whose result parameter type is the most specific match.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(TaskPayloadReflectiveProcessor.class)
public @interface OnFinish {

}
