package io.swooletask.amqp;

import java.time.Duration;

import io.swooletask.task.MessageObservations;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * What an {@link AmqpTaskBackend} is built from.
 *
 * @param connectionFactory the application's RabbitMQ connections
 * @param admin declares the topology
 * @param containers creates the listener containers
 * @param topology the queues and exchanges
 * @param codec writes and reads task data and results
 * @param prefetch how many tasks each task worker takes ahead of the one it runs
 * @param confirmTimeout how long to wait for the broker to confirm what was published
 * @param replyTimeout how long a task dispatched here may wait for its end
 * @param observations observes the sending and the delivery of tasks
 */
record AmqpTransportSettings(ConnectionFactory connectionFactory, AmqpAdmin admin, ListenerContainers containers,
		AmqpTopology topology, TaskCodec codec, int prefetch, Duration confirmTimeout, Duration replyTimeout,
		MessageObservations observations) {

}
