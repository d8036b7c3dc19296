package io.swooletask.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import io.swooletask.amqp.AmqpTaskTransport;
import io.swooletask.task.MessageObservations;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.config.ContainerCustomizer;
import org.springframework.amqp.rabbit.config.DirectRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.DirectRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;

/**
 * Auto-configuration of the RabbitMQ task transport, for
 * {@code swoole.server.task-transport=amqp}: the tasks go through the broker of Spring
 * Boot's {@code spring.rabbitmq.*} connection, as JSON written by the application's
 * Jackson mapper.
 */
@AutoConfiguration(before = SwooleServerAutoConfiguration.class,
		after = { RabbitAutoConfiguration.class, JacksonAutoConfiguration.class })
@ConditionalOnClass({ ConnectionFactory.class, SimpleRabbitListenerContainerFactoryConfigurer.class, JsonMapper.class })
@ConditionalOnBooleanProperty(name = "swoole.server.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "swoole.server.task-transport", havingValue = "amqp")
@EnableConfigurationProperties(SwooleServerProperties.class)
public final class SwooleAmqpTaskTransportAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SwooleAmqpTaskTransportAutoConfiguration.class);

	/**
	 * The prefetch of the task workers where
	 * {@code spring.rabbitmq.listener.simple.prefetch} is unset, lower than Spring Boot's
	 * 250: a task waits behind at most this many others on a busy worker, and it is
	 * enough for a worker never to wait for the broker between tasks (docs/scale-out.md).
	 */
	private static final int TASK_WORKER_PREFETCH = 50;

	@Bean
	@ConditionalOnMissingBean
	AmqpTaskTransport swooleAmqpTaskTransport(ConnectionFactory connectionFactory,
			ObjectProvider<SimpleRabbitListenerContainerFactoryConfigurer> simpleConfigurer,
			ObjectProvider<ContainerCustomizer<SimpleMessageListenerContainer>> simpleCustomizer,
			ObjectProvider<DirectRabbitListenerContainerFactoryConfigurer> directConfigurer,
			ObjectProvider<ContainerCustomizer<DirectMessageListenerContainer>> directCustomizer,
			ObjectProvider<AmqpAdmin> admin, ObjectProvider<JsonMapper> mapper, SwooleServerProperties properties,
			ApplicationContext context, ObjectProvider<MessageObservations> observations) {
		SwooleServerProperties.Amqp amqp = properties.getAmqp();
		AmqpTaskTransport.Settings settings = new AmqpTaskTransport.Settings(amqp.getTaskQueue(), amqp.getQueueType(),
				amqp.getDeliveryLimit(), amqp.getReplyQueueExpiry(), amqp.getConfirmTimeout(), amqp.getReplyTimeout(),
				amqp.getTrustedPackages(), Threading.VIRTUAL.isActive(context.getEnvironment()),
				amqp.getOrderedPartitions(), properties.isListen(),
				(int) Math.min(Integer.MAX_VALUE, properties.getBufferOutputSize().toBytes()));
		return new AmqpTaskTransport(connectionFactory,
				simpleContainers(connectionFactory, simpleConfigurer, simpleCustomizer, amqp),
				directContainers(connectionFactory, directConfigurer, directCustomizer),
				admin.getIfAvailable(() -> ownAdmin(connectionFactory)),
				mapper.getIfAvailable(() -> JsonMapper.builder().build()), context, settings,
				observations.getIfAvailable(() -> MessageObservations.NONE));
	}

	/**
	 * The factory of the containers of the task workers and the dead letters, set up as
	 * Spring Boot sets up its own from {@code spring.rabbitmq.listener.simple.*}, but
	 * with the starter's prefetch where {@code spring.rabbitmq.listener.simple.prefetch}
	 * is unset; the deprecated {@code swoole.server.amqp.prefetch} still wins where it is
	 * set, as before Spring Boot's settings applied. A unique {@code ContainerCustomizer}
	 * is applied to each container, as Spring Boot does.
	 */
	@SuppressWarnings("removal")
	private static SimpleRabbitListenerContainerFactory simpleContainers(ConnectionFactory connectionFactory,
			ObjectProvider<SimpleRabbitListenerContainerFactoryConfigurer> configurer,
			ObjectProvider<ContainerCustomizer<SimpleMessageListenerContainer>> customizer,
			SwooleServerProperties.Amqp amqp) {
		SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
		factory.setConnectionFactory(connectionFactory);
		factory.setPrefetchCount(TASK_WORKER_PREFETCH);
		configurer.ifAvailable((bootConfigurer) -> bootConfigurer.configure(factory, connectionFactory));
		Integer prefetch = amqp.getPrefetch();
		if (prefetch != null) {
			logger.warn("swoole.server.amqp.prefetch is deprecated and will be removed: set"
					+ " spring.rabbitmq.listener.simple.prefetch instead, which the task workers take as every simple"
					+ " listener container of the application does, or a ContainerCustomizer"
					+ "<SimpleMessageListenerContainer> bean for the task workers alone. Until then the task workers"
					+ " take " + prefetch + " from it.");
			factory.setPrefetchCount(prefetch);
		}
		customizer.ifUnique(factory::setContainerCustomizer);
		return factory;
	}

	/**
	 * The factory of the container of the replies, set up as Spring Boot sets up its own
	 * from {@code spring.rabbitmq.listener.direct.*}. A unique
	 * {@code ContainerCustomizer} is applied to the container, as Spring Boot does.
	 */
	private static DirectRabbitListenerContainerFactory directContainers(ConnectionFactory connectionFactory,
			ObjectProvider<DirectRabbitListenerContainerFactoryConfigurer> configurer,
			ObjectProvider<ContainerCustomizer<DirectMessageListenerContainer>> customizer) {
		DirectRabbitListenerContainerFactory factory = new DirectRabbitListenerContainerFactory();
		factory.setConnectionFactory(connectionFactory);
		configurer.ifAvailable((bootConfigurer) -> bootConfigurer.configure(factory, connectionFactory));
		customizer.ifUnique(factory::setContainerCustomizer);
		return factory;
	}

	/**
	 * The transport's queues, declared again by the application's {@code RabbitAdmin} on
	 * every new connection, so that a reply queue deleted or expired while the node was
	 * away comes back.
	 * @param transport the transport
	 * @return its queues, exchanges and bindings
	 */
	@Bean
	Declarables swooleAmqpTopology(AmqpTaskTransport transport) {
		return transport.declarables();
	}

	/**
	 * An admin for the transport alone, when the application has none
	 * (spring.rabbitmq.dynamic=false): it declares again, on every new connection, what
	 * the transport declared through it.
	 */
	private static AmqpAdmin ownAdmin(ConnectionFactory connectionFactory) {
		RabbitAdmin admin = new RabbitAdmin(connectionFactory);
		admin.setRedeclareManualDeclarations(true);
		admin.afterPropertiesSet();
		return admin;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class MetricsConfiguration {

		@Bean
		MeterBinder swooleAmqpTaskTransportMetrics(AmqpTaskTransport transport) {
			return (registry) -> {
				counter(registry, transport, "swoole.amqp.tasks.published",
						"Tasks published to the work queue and confirmed", "published");
				counter(registry, transport, "swoole.amqp.tasks.republished",
						"Tasks published again after the broker did not confirm them", "republished");
				counter(registry, transport, "swoole.amqp.tasks.consumed", "Tasks this node's workers took",
						"consumed");
				counter(registry, transport, "swoole.amqp.tasks.redelivered",
						"Tasks this node's workers took again after a worker died on them", "redelivered");
				counter(registry, transport, "swoole.amqp.tasks.dead.lettered",
						"Tasks of this node the broker gave up on", "deadLettered");
				counter(registry, transport, "swoole.amqp.replies.duplicate",
						"Replies dropped because they had arrived already or came after the reply timeout",
						"duplicates");
				counter(registry, transport, "swoole.amqp.tasks.timed.out",
						"Tasks of this node that failed because their end did not arrive within the reply timeout",
						"timedOut");
				counter(registry, transport, "swoole.amqp.tasks.expired",
						"Tasks dropped unrun because their origin's reply timeout had passed", "expired");
				counter(registry, transport, "swoole.amqp.replies.returned",
						"Replies of this node's workers the broker returned: their origin's reply queue was gone",
						"returned");
				counter(registry, transport, "swoole.amqp.results.refused",
						"Results not read because their type is neither declared by a handler method nor trusted",
						"refusedResults");
				counter(registry, transport, "swoole.amqp.writes.refused",
						"Broadcasts and writes to other nodes' connections not sent: the node was known gone, this"
								+ " node was stopping, or too many waited for the broker",
						"writesRefused");
				counter(registry, transport, "swoole.amqp.writes.returned",
						"Writes to other nodes' connections the broker gave back because the node was gone",
						"writesReturned");
				counter(registry, transport, "swoole.amqp.writes.missed",
						"Writes from other nodes that this node's connections did not take", "writesMissed");
			};
		}

		/**
		 * Registers the meter of one of {@link AmqpTaskTransport#counts()}, failing at
		 * once on a name the transport does not count.
		 */
		private static void counter(MeterRegistry registry, AmqpTaskTransport transport, String name,
				String description, String count) {
			Assert.state(transport.counts().containsKey(count), () -> "The amqp transport counts no " + count);
			Meters.counter(registry, name, description, transport, (t) -> t.counts().getOrDefault(count, 0L));
		}

	}

}
