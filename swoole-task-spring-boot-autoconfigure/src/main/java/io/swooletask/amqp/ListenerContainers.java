package io.swooletask.amqp;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Creates the listener containers of the transport. Each has the admin and the application context, so
 * that a consumer whose queue was deleted under it has the admin declare the topology again (the
 * transport's queues are {@code Declarables} beans) and goes on consuming, and each keeps trying
 * instead of stopping while its queue is missing.
 */
final class ListenerContainers {

	private final ConnectionFactory connectionFactory;

	private final AmqpAdmin admin;

	private final ApplicationContext context;

	ListenerContainers(ConnectionFactory connectionFactory, AmqpAdmin admin, ApplicationContext context) {
		this.connectionFactory = connectionFactory;
		this.admin = admin;
		this.context = context;
	}

	/**
	 * Creates a container.
	 * @param threadPrefix names its consumer threads
	 * @param queue the queue it consumes
	 * @param mode how messages are acknowledged
	 * @param consumers how many consumers it runs
	 * @param prefetch how many unacknowledged messages a consumer may hold
	 * @param listener receives the messages
	 * @return the container, not started
	 */
	SimpleMessageListenerContainer create(String threadPrefix, String queue, AcknowledgeMode mode, int consumers,
			int prefetch, MessageListener listener) {
		return create(threadPrefix, queue, mode, consumers, prefetch, 1, listener);
	}

	/**
	 * Creates a container that acknowledges automatically, in batches.
	 * @param threadPrefix names its consumer threads
	 * @param queue the queue it consumes
	 * @param prefetch how many unacknowledged messages its consumer may hold
	 * @param batch how many messages it acknowledges at once, or all it has when no more come
	 * @param listener receives the messages
	 * @return the container, not started
	 */
	SimpleMessageListenerContainer createBatching(String threadPrefix, String queue, int prefetch, int batch,
			MessageListener listener) {
		return create(threadPrefix, queue, AcknowledgeMode.AUTO, 1, prefetch, batch, listener);
	}

	private SimpleMessageListenerContainer create(String threadPrefix, String queue, AcknowledgeMode mode,
			int consumers, int prefetch, int batch, MessageListener listener) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
		container.setQueueNames(queue);
		container.setAcknowledgeMode(mode);
		container.setConcurrentConsumers(consumers);
		container.setPrefetchCount(prefetch);
		container.setBatchSize(batch);
		container.setTaskExecutor(new SimpleAsyncTaskExecutor(threadPrefix));
		container.setMessageListener(listener);
		container.setAmqpAdmin(this.admin);
		container.setApplicationContext(this.context);
		container.setMissingQueuesFatal(false);
		container.afterPropertiesSet();
		return container;
	}

}
