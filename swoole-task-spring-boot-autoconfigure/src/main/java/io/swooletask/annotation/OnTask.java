package io.swooletask.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.swooletask.server.netty.TaskPayloadReflectiveProcessor;

import org.springframework.aot.hint.annotation.Reflective;

/**
 * Marks a method that runs a task on a task worker, as Swoole's {@code onTask}.
 * <p>
 * Parameters are bound by type, in any order: {@code SwooleServer}, {@code Task},
 * {@code long taskId}, {@code int srcWorkerId} and the data (any type). With several
 * methods, a task goes to the one whose data parameter type is the most specific match
 * for the data. A non-null return value is a finish result, as
 * {@code Task.finish(result)}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Reflective(TaskPayloadReflectiveProcessor.class)
public @interface OnTask {

}
