package io.swooletask.amqp;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;

/**
 * Creates the listener containers of the transport. Each has the admin and the
 * application context, so that a consumer whose queue was deleted under it has the admin
 * declare the topology again (the transport's queues are {@code Declarables} beans) and
 * goes on consuming, and each keeps trying instead of stopping while its queue is
 * missing.
 */
final class ListenerContainers {

	private static final long ACK_TIMEOUT_MILLIS = 20;

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
	 * @param consumerThread wraps what each consumer thread runs, from its start to its
	 * end
	 * @param listener receives the messages
	 * @return the container, not started
	 */
	SimpleMessageListenerContainer create(String threadPrefix, String queue, AcknowledgeMode mode, int consumers,
			int prefetch, TaskDecorator consumerThread, MessageListener listener) {
		SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(this.connectionFactory);
		container.setConcurrentConsumers(consumers);
		SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(threadPrefix);
		threads.setTaskDecorator(consumerThread);
		container.setTaskExecutor(threads);
		return configure(container, queue, mode, prefetch, listener);
	}

	/**
	 * Creates a container for a listener that never blocks: it runs on the connection's
	 * consumer threads, without a hand-over to a thread of the container, and
	 * acknowledges automatically, several messages at once.
	 * @param queue the queue it consumes
	 * @param prefetch how many unacknowledged messages its consumer may hold
	 * @param messagesPerAck how many messages it acknowledges at once, or fewer after a
	 * moment without more
	 * @param listener receives the messages
	 * @return the container, not started
	 */
	DirectMessageListenerContainer createDirect(String queue, int prefetch, int messagesPerAck,
			MessageListener listener) {
		DirectMessageListenerContainer container = new DirectMessageListenerContainer(this.connectionFactory);
		container.setMessagesPerAck(messagesPerAck);
		container.setAckTimeout(ACK_TIMEOUT_MILLIS);
		return configure(container, queue, AcknowledgeMode.AUTO, prefetch, listener);
	}

	private <C extends AbstractMessageListenerContainer> C configure(C container, String queue, AcknowledgeMode mode,
			int prefetch, MessageListener listener) {
		container.setQueueNames(queue);
		container.setAcknowledgeMode(mode);
		container.setPrefetchCount(prefetch);
		container.setMessageListener(listener);
		container.setAmqpAdmin(this.admin);
		container.setApplicationContext(this.context);
		container.setMissingQueuesFatal(false);
		container.afterPropertiesSet();
		return container;
	}

}
