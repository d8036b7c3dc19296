package io.swooletask.autoconfigure;

import java.time.Duration;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.HandlerDefinitionException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

class SwooleServerAutoConfigurationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=1");

	@Test
	void createsServerAndBootstrapWithDefaults() {
		this.runner.withBean(ReceiveOnly.class).run((context) -> {
			assertThat(context).hasSingleBean(NettySwooleServer.class).hasSingleBean(SwooleServerBootstrap.class);
			SwooleServerProperties properties = context.getBean(SwooleServerProperties.class);
			assertThat(properties.getHost()).isEqualTo("127.0.0.1");
			assertThat(properties.getTaskWorkerNum()).isNull();
			assertThat(properties.getPackageMaxLength()).isEqualTo(DataSize.ofMegabytes(2));
			assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
		});
	}

	@Test
	void neitherLifecycleIsPausedWithACachedTestContext() {
		this.runner.withBean(ReceiveOnly.class).run((context) -> {
			assertThat(context.getBean(SwooleServerBootstrap.class).isPauseable()).isFalse();
			assertThat(context.getBean(SwooleTaskPoolBootstrap.class).isPauseable()).isFalse();
			assertThat(context.getBean(SwooleTaskPoolBootstrap.class).getPhase())
				.as("the task pool starts before a web server and stops after it")
				.isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
		});
	}

	@Test
	void bindsKebabCaseProperties() {
		this.runner.withBean(EchoTaskHandlers.class)
			.withPropertyValues("swoole.server.task-worker-num=3", "swoole.server.open-eof-split=true",
					"swoole.server.package-eof=#~", "swoole.server.shutdown-timeout=5")
			.run((context) -> {
				SwooleServerProperties properties = context.getBean(SwooleServerProperties.class);
				assertThat(properties.getTaskWorkerNum()).isEqualTo(3);
				assertThat(properties.isOpenEofSplit()).isTrue();
				assertThat(properties.getPackageEof()).isEqualTo("#~");
				assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void bindsSwooleSnakeCaseKeys() {
		this.runner.withBean(EchoTaskHandlers.class)
			.withPropertyValues("swoole.server.task_worker_num=4", "swoole.server.package_max_length=1024")
			.run((context) -> {
				SwooleServerProperties properties = context.getBean(SwooleServerProperties.class);
				assertThat(properties.getTaskWorkerNum()).isEqualTo(4);
				assertThat(properties.getPackageMaxLength()).isEqualTo(DataSize.ofBytes(1024));
			});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withBean(ReceiveOnly.class)
			.withPropertyValues("swoole.server.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SwooleServer.class)
				.doesNotHaveBean(SwooleServerBootstrap.class));
	}

	@Test
	void backsOffWhenUserDefinesServer() {
		this.runner.withUserConfiguration(UserServer.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(SwooleServer.class)
				.doesNotHaveBean(NettySwooleServer.class)
				.doesNotHaveBean(SwooleServerBootstrap.class));
	}

	@Test
	void publishesLocalPort() {
		this.runner.withBean(ReceiveOnly.class).run((context) -> {
			int port = context.getEnvironment().getProperty("local.swoole.server.port", Integer.class);
			assertThat(port).isPositive().isEqualTo(context.getBean(SwooleServer.class).port());
			try (TestClient client = TestClient.connect(port)) {
				assertThat(client.socket().isConnected()).isTrue();
			}
		});
	}

	@Test
	void releasesPortOnClose() {
		int[] port = new int[1];
		this.runner.withBean(ReceiveOnly.class).run((context) -> port[0] = context.getBean(SwooleServer.class).port());
		this.runner.withBean(ReceiveOnly.class)
			.withPropertyValues("swoole.server.port=" + port[0])
			.run((context) -> assertThat(context.getBean(SwooleServer.class).port()).isEqualTo(port[0]));
	}

	@Test
	void failsOnUnsupportedParameter() {
		this.runner.withBean("badReceive", BadParameter.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HandlerDefinitionException.class)
				.hasMessageContaining("@OnReceive method 'receive' of bean 'badReceive'")
				.hasMessageContaining("Integer (parameter 2)")
				.hasMessageContaining("String, byte[] or ByteBuffer");
		});
	}

	@Test
	void failsOnAmbiguousTaskHandlers() {
		this.runner.withBean(ReceiveOnly.class)
			.withBean("first", StringTask.class)
			.withBean("second", StringTask.class)
			.withPropertyValues("swoole.server.task-worker-num=1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HandlerDefinitionException.class)
				.hasMessageContaining("Two @OnTask methods take the same type java.lang.String")
				.hasMessageContaining("first.task")
				.hasMessageContaining("second.task"));
	}

	@Test
	void failsOnTaskWorkersWithoutTaskHandler() {
		this.runner.withBean(ReceiveOnly.class)
			.withPropertyValues("swoole.server.task-worker-num=2")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HandlerDefinitionException.class)
				.hasMessageContaining("task-worker-num is 2 but no @OnTask method is declared")
				.hasMessageContaining("set swoole.server.task-worker-num to 0"));
	}

	@Test
	void failsOnTwoReceiveHandlers() {
		this.runner.withBean("one", ReceiveOnly.class)
			.withBean("two", ReceiveOnly.class)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(HandlerDefinitionException.class)
				.hasMessageContaining("Two @OnReceive methods are declared: one.receive and two.receive"));
	}

	@Test
	void failsOnInvalidPackageEof() {
		this.runner.withBean(ReceiveOnly.class)
			.withPropertyValues("swoole.server.open-eof-split=true", "swoole.server.package-eof=123456789")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("swoole.server.package-eof"));
	}

	static class ReceiveOnly {

		@OnReceive
		void receive(String data) {
		}

	}

	static class BadParameter {

		@OnReceive
		void receive(String data, Integer other) {
		}

	}

	static class StringTask {

		@OnTask
		String task(String data) {
			return data;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserServer {

		@Bean
		SwooleServer userSwooleServer() {
			return mock(SwooleServer.class);
		}

	}

}
