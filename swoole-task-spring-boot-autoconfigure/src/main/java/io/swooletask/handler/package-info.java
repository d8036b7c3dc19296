/**
 * The application's handler methods: found on its beans, checked and collected into
 * {@link io.swooletask.handler.SwooleHandlers}, and invoked with their parameters bound
 * by type.
 */
@NullMarked
package io.swooletask.handler;

import org.jspecify.annotations.NullMarked;
