/**
 * The annotations that mark an application's handler methods, one for each of Swoole's
 * events: {@code @OnConnect}, {@code @OnReceive}, {@code @OnClose}, {@code @OnTask},
 * {@code @OnFinish}, {@code @OnWorkerStart} and {@code @OnWorkerStop}.
 */
@NullMarked
package io.swooletask.annotation;

import org.jspecify.annotations.NullMarked;
