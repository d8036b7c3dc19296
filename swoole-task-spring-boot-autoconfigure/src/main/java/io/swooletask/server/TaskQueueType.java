package io.swooletask.server;

/**
 * The type of the work queue ({@code swoole.server.amqp.queue-type}).
 */
public enum TaskQueueType {

	/**
	 * A quorum queue: replicated over the broker's cluster, so tasks survive the loss of
	 * a broker node, and dead-letters a task after {@code delivery-limit} deliveries.
	 */
	QUORUM,

	/**
	 * A classic queue: on one broker node and cheaper for the broker, but without a
	 * delivery limit: a task whose worker dies on it each time is delivered again for as
	 * long as it is not acknowledged.
	 */
	CLASSIC

}
