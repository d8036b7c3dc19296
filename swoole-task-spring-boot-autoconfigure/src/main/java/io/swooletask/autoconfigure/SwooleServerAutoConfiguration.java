package io.swooletask.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.server.Shutdown;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.SwooleServerCustomizer;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.netty.HandlerMethodProcessor;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.server.netty.NettySwooleServerFactory;
import io.swooletask.task.MessageObservations;
import io.swooletask.task.TaskBackend;
import io.swooletask.task.TaskObserver;
import io.swooletask.task.TaskWorkerSettings;
import org.jspecify.annotations.Nullable;
import reactor.netty.tcp.TcpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configuration of the Swoole task server: finds the handler methods, builds the
 * server from {@code swoole.server.*}, and binds it when the application starts.
 */
@AutoConfiguration(after = SslAutoConfiguration.class)
@ConditionalOnClass(TcpServer.class)
@ConditionalOnBooleanProperty(name = "swoole.server.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SwooleServerProperties.class)
public final class SwooleServerAutoConfiguration {

	private static final Log logger = LogFactory.getLog(SwooleServerAutoConfiguration.class);

	/** Spring Boot's default of {@code spring.lifecycle.timeout-per-shutdown-phase}. */
	private static final Duration DEFAULT_SHUTDOWN_PHASE = Duration.ofSeconds(30);

	@Bean
	static HandlerMethodProcessor swooleHandlerMethodProcessor() {
		return new HandlerMethodProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(SwooleServer.class)
	NettySwooleServer swooleServer(SwooleServerProperties properties, HandlerMethodProcessor handlerMethods,
			ObjectProvider<TaskErrorHandler> errorHandler, ObjectProvider<SwooleServerCustomizer> customizers,
			ObjectProvider<SslBundles> sslBundles, ObjectProvider<TaskObserver> taskObserver,
			ObjectProvider<TaskBackend.Factory> taskBackend, ObjectProvider<MessageObservations> observations,
			Environment environment) {
		warnOfAShorterShutdownPhase(properties, environment);
		NettySwooleServerFactory factory = serverFactory(properties);
		TaskBackend.Factory backend = taskBackend(properties, taskBackend);
		if (backend != null) {
			factory.setTaskBackend(backend);
		}
		factory.setTaskThreads(TaskThreads.forEnvironment(environment));
		factory.setTaskObserver(taskObserver.getIfAvailable(() -> TaskObserver.NONE));
		factory.setMessageObservations(observations.getIfAvailable(() -> MessageObservations.NONE));
		SwooleServerProperties.Ssl ssl = properties.getSsl();
		if (ssl.getBundle() != null) {
			factory.setSslContext(SslContextFactory.forServer(sslBundle(sslBundles.getObject(), ssl.getBundle()),
					ssl.getClientAuth()));
		}
		NettySwooleServer server = factory.getServer(handlerMethods, errorHandler.getIfAvailable(),
				customizers.orderedStream().toList());
		if (ssl.getBundle() != null) {
			sslBundles.getObject()
				.addBundleUpdateHandler(ssl.getBundle(),
						(bundle) -> server.updateSslContext(SslContextFactory.forServer(bundle, ssl.getClientAuth())));
		}
		return server;
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NettySwooleServer.class)
	SwooleTaskPoolBootstrap swooleTaskPoolBootstrap(NettySwooleServer swooleServer) {
		return new SwooleTaskPoolBootstrap(swooleServer);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(NettySwooleServer.class)
	SwooleServerBootstrap swooleServerBootstrap(NettySwooleServer swooleServer) {
		return new SwooleServerBootstrap(swooleServer);
	}

	@Bean
	SwooleServerPortPublisher swooleServerPortPublisher(ConfigurableEnvironment environment) {
		return new SwooleServerPortPublisher(environment);
	}

	private static NettySwooleServerFactory serverFactory(SwooleServerProperties properties) {
		NettySwooleServerFactory factory = new NettySwooleServerFactory();
		PropertyMapper map = PropertyMapper.get();
		map.from(properties::getHost).to(factory::setHost);
		map.from(properties::getPort).to(factory::setPort);
		map.from(properties::isListen).to(factory::setListen);
		map.from(properties::getWorkerNum).to(factory::setWorkerNum);
		map.from(properties::getTaskWorkerNum)
			.always()
			.as((num) -> (num != null) ? num : TaskWorkerSettings.AUTO)
			.to(factory::setTaskWorkerNum);
		map.from(properties::getTaskMaxRequest).to(factory::setTaskMaxRequest);
		map.from(properties::getTaskMaxRequestGrace).to(factory::setTaskMaxRequestGrace);
		map.from(properties::getShutdownTimeout).to(factory::setShutdownTimeout);
		map.from(properties::getShutdown).to(factory::setShutdown);
		map.from(properties.getLogging()::isMdc).to(factory::setLogFields);
		map.from(properties::getTaskQueueCapacity).to(factory::setTaskQueueCapacity);
		map.from(properties::getTaskOverflow).to(factory::setTaskOverflow);
		map.from(properties::getTaskEnqueueTimeout).to(factory::setTaskEnqueueTimeout);
		map.from(properties::getMaxConn).to(factory::setMaxConn);
		map.from(properties::getBacklog).to(factory::setBacklog);
		map.from(properties::isOpenTcpNodelay).to(factory::setTcpNoDelay);
		map.from(properties::isNativeTransport).to(factory::setNativeTransport);
		map.from(properties::getBufferOutputSize).asInt(DataSize::toBytes).to(factory::setBufferOutputSize);
		map.from(heartbeatIdleTime(properties)).to(factory::setHeartbeatIdleTime);
		map.from(properties::isOpenEofSplit).to(factory::setOpenEofSplit);
		map.from(properties::isOpenEofCheck).to(factory::setOpenEofCheck);
		map.from(properties::getPackageEof).to(factory::setPackageEof);
		map.from(properties::isOpenLengthCheck).to(factory::setOpenLengthCheck);
		map.from(properties::getPackageLengthType).to(factory::setPackageLengthType);
		map.from(properties::getPackageLengthOffset).to(factory::setPackageLengthOffset);
		map.from(properties::getPackageBodyOffset).to(factory::setPackageBodyOffset);
		map.from(properties::getPackageMaxLength).to(factory::setPackageMaxLength);
		return factory;
	}

	private static void warnOfAShorterShutdownPhase(SwooleServerProperties properties, Environment environment) {
		Duration phase = Binder.get(environment)
			.bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
			.orElse(DEFAULT_SHUTDOWN_PHASE);
		Duration timeout = properties.getShutdownTimeout();
		if (properties.getShutdown() == Shutdown.GRACEFUL && timeout.compareTo(phase) > 0) {
			logger.warn("swoole.server.shutdown-timeout (" + print(timeout) + ") is longer than"
					+ " spring.lifecycle.timeout-per-shutdown-phase (" + print(phase) + "): Spring stops waiting for"
					+ " the server's drain after " + print(phase)
					+ ", cutting it short. Raise spring.lifecycle.timeout-per-shutdown-phase to at least the shutdown timeout,"
					+ " or lower swoole.server.shutdown-timeout.");
		}
	}

	private static String print(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? DurationStyle.SIMPLE.print(duration, ChronoUnit.SECONDS)
				: DurationStyle.SIMPLE.print(duration);
	}

	private static TaskBackend.@Nullable Factory taskBackend(SwooleServerProperties properties,
			ObjectProvider<TaskBackend.Factory> taskBackend) {
		TaskBackend.Factory factory = taskBackend.getIfAvailable();
		if (factory != null) {
			return factory;
		}
		if (properties.getTaskTransport() == SwooleServerProperties.TaskTransport.AMQP) {
			throw new InvalidConfigurationPropertyValueException("swoole.server.task-transport", "amqp",
					"The amqp task transport needs Spring AMQP and Jackson on the class path: add the dependencies"
							+ " org.springframework.boot:spring-boot-starter-amqp and"
							+ " org.springframework.boot:spring-boot-starter-jackson.");
		}
		return null;
	}

	private static SslBundle sslBundle(SslBundles sslBundles, String name) {
		try {
			return sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException("swoole.server.ssl.bundle", name,
					"No SSL bundle named '" + name + "' is configured: declare it under spring.ssl.bundle.pem." + name
							+ " or spring.ssl.bundle.jks." + name + ", or name one that is.");
		}
	}

	private static @Nullable Duration heartbeatIdleTime(SwooleServerProperties properties) {
		Duration idleTime = properties.getHeartbeatIdleTime();
		if (idleTime != null) {
			return idleTime;
		}
		Duration interval = properties.getHeartbeatCheckInterval();
		return (interval != null) ? interval.multipliedBy(2) : null;
	}

}
