package io.swooletask.amqp;

import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerEndpoint;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.ApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;

/**
 * Creates the listener containers of the transport from the application's listener
 * container factories, which Spring Boot's configurers set up from
 * {@code spring.rabbitmq.listener.simple.*} and {@code spring.rabbitmq.listener.direct.*}
 * and which apply the application's {@code ContainerCustomizer}. Each container is
 * created for an endpoint with a listener id of its own, its queue and its listener, so
 * that a customizer can tell the containers apart. What the transport relies on is set
 * after the configurer and the customizer, so that neither a property nor a customizer
 * changes it: the acknowledge mode, no retry advice, no requeue of a message whose
 * listener threw, the number of consumers, the consumer threads, no forced stop, no
 * batches of messages handed to a listener, and no Spring AMQP observation (the transport
 * observes its deliveries itself). Each container has the admin and the application
 * context, so that a consumer whose queue was deleted under it has the admin declare the
 * topology again (the transport's queues are {@code Declarables} beans) and goes on
 * consuming, and each keeps trying instead of stopping while its queue is missing. The
 * containers are not beans: the transport starts and stops them with the server.
 */
final class ListenerContainers {

	private static final long ACK_TIMEOUT_MILLIS = 20;

	private final SimpleRabbitListenerContainerFactory simple;

	private final DirectRabbitListenerContainerFactory direct;

	private final AmqpAdmin admin;

	private final ApplicationContext context;

	private final boolean virtualThreads;

	/**
	 * Creates the containers' source.
	 * @param simple creates the containers whose consumers have a thread each
	 * @param direct creates the containers whose listener runs on the connection's
	 * threads
	 * @param admin declares the topology again for a consumer whose queue is missing
	 * @param context the application context, which also receives the containers' events
	 * @param virtualThreads whether the consumer threads of the simple containers are
	 * virtual threads
	 */
	ListenerContainers(SimpleRabbitListenerContainerFactory simple, DirectRabbitListenerContainerFactory direct,
			AmqpAdmin admin, ApplicationContext context, boolean virtualThreads) {
		this.simple = simple;
		this.direct = direct;
		this.admin = admin;
		this.context = context;
		this.virtualThreads = virtualThreads;
	}

	/**
	 * Creates a container whose consumers each have a thread of their own, on which the
	 * listener may block, and whose listener acknowledges the messages itself.
	 * @param id the container's listener id
	 * @param threadPrefix names its consumer threads
	 * @param queue the queue it consumes
	 * @param consumers how many consumers it runs, no more and no fewer
	 * @param prefetch how many unacknowledged messages a consumer may hold, or
	 * {@code null} for the factory's, or a customizer's
	 * @param consumerThread wraps what each consumer thread runs, from its start to its
	 * end
	 * @param listener receives the messages
	 * @return the container, not started
	 */
	SimpleMessageListenerContainer create(String id, String threadPrefix, String queue, int consumers,
			@Nullable Integer prefetch, TaskDecorator consumerThread, MessageListener listener) {
		SimpleMessageListenerContainer container = this.simple.createListenerContainer(endpoint(id, queue, listener));
		container.setConcurrency(consumers + "-" + consumers);
		container.setConsumerBatchEnabled(false);
		SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor(threadPrefix);
		threads.setVirtualThreads(this.virtualThreads);
		threads.setTaskDecorator(consumerThread);
		container.setTaskExecutor(threads);
		if (prefetch != null) {
			container.setPrefetchCount(prefetch);
		}
		return configure(container, AcknowledgeMode.MANUAL);
	}

	/**
	 * Creates a container for a listener that never blocks: it runs on the connection's
	 * consumer threads, without a hand-over to a thread of the container, with one
	 * consumer, so that the messages are handled in the order they arrive, and
	 * acknowledges automatically, several messages at once (its prefetch is raised to
	 * that many if it is lower).
	 * @param id the container's listener id
	 * @param queue the queue it consumes
	 * @param messagesPerAck how many messages it acknowledges at once, or fewer after a
	 * moment without more
	 * @param listener receives the messages
	 * @return the container, not started
	 */
	DirectMessageListenerContainer createDirect(String id, String queue, int messagesPerAck, MessageListener listener) {
		DirectMessageListenerContainer container = this.direct.createListenerContainer(endpoint(id, queue, listener));
		container.setConsumersPerQueue(1);
		container.setMessagesPerAck(messagesPerAck);
		container.setAckTimeout(ACK_TIMEOUT_MILLIS);
		return configure(container, AcknowledgeMode.AUTO);
	}

	private SimpleRabbitListenerEndpoint endpoint(String id, String queue, MessageListener listener) {
		SimpleRabbitListenerEndpoint endpoint = new SimpleRabbitListenerEndpoint();
		endpoint.setId(id);
		endpoint.setQueueNames(queue);
		endpoint.setMessageListener(listener);
		endpoint.setAdmin(this.admin);
		return endpoint;
	}

	private <C extends AbstractMessageListenerContainer> C configure(C container, AcknowledgeMode mode) {
		container.setAcknowledgeMode(mode);
		container.setAdviceChain();
		container.setDefaultRequeueRejected(false);
		container.setForceStop(false);
		container.setObservationEnabled(false);
		container.setMissingQueuesFatal(false);
		// acknowledgements take effect when sent, not at a transaction's commit; a queue
		// deleted
		// while the node runs is declared again
		container.setChannelTransacted(false);
		container.setAutoDeclare(true);
		container.setApplicationContext(this.context);
		container.setApplicationEventPublisher(this.context);
		container.afterPropertiesSet();
		return container;
	}

}
