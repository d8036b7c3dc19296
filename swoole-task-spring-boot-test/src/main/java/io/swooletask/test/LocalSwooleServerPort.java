package io.swooletask.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Value;

/**
 * Injects the port the Swoole server is bound to, as Spring Boot's
 * {@code @LocalServerPort} does for the web server: a shortcut for
 * {@code @Value("${local.swoole.server.port}")}, the property the server publishes once
 * it listens.
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Value("${local.swoole.server.port}")
public @interface LocalSwooleServerPort {

}
