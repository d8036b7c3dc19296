/**
 * The task transport through RabbitMQ: a {@link io.swooletask.task.TaskBackend} that runs
 * tasks on the task workers of any node, and carries their finish results back to the
 * node that dispatched them. Loaded only when Spring AMQP is on the class path.
 */
@NullMarked
package io.swooletask.amqp;

import org.jspecify.annotations.NullMarked;
