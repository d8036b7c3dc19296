package io.swooletask.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PipelineIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.open-eof-split=true");

	@Test
	void replyTravelsReceiveTaskFinish() {
		this.runner.withBean(EchoTaskHandlers.class).run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("hello\r\n").readLine()).isEqualTo("hello -> OK");
			}
		});
	}

	@Test
	void clientThatHalfClosesStillGetsItsRepliesThenTheServerCloses() {
		this.runner.withBean(EchoTaskHandlers.class).run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("one\r\ntwo\r\n");
				client.socket().shutdownOutput();
				assertThat(List.of(client.readLine(), client.readLine())).containsExactlyInAnyOrder("one -> OK",
						"two -> OK");
				assertThat(client.readLine()).isNull();
			}
		});
	}

	@Test
	void finishRunsOnTheDispatchingEventLoopAndTaskOnATaskWorker() {
		this.runner.withBean(ThreadRecorder.class).run((context) -> {
			ThreadRecorder recorder = context.getBean(ThreadRecorder.class);
			try (TestClient first = TestClient.connect(context.getBean(SwooleServer.class).port());
					TestClient second = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				for (int i = 0; i < 20; i++) {
					first.send("a" + i + "\r\n");
					second.send("b" + i + "\r\n");
				}
				for (int i = 0; i < 20; i++) {
					assertThat(first.readLine()).startsWith("a");
					assertThat(second.readLine()).startsWith("b");
				}
			}
			assertThat(recorder.receiveThreads).hasSize(40);
			recorder.receiveThreads.forEach((data, thread) -> {
				assertThat(recorder.finishThreads.get(data)).isEqualTo(thread);
				assertThat(recorder.taskThreads.get(data)).startsWith("swoole-task-worker-");
			});
			assertThat(recorder.receiveThreads.values()).allMatch((name) -> name.startsWith("swoole-worker"));
		});
	}

	@Test
	void everyMessageOfManyConnectionsIsAnsweredExactlyOnce() {
		this.runner.withBean(EchoTaskHandlers.class).run((context) -> {
			int port = context.getBean(SwooleServer.class).port();
			List<TestClient> clients = new ArrayList<>();
			try {
				for (int c = 0; c < 50; c++) {
					TestClient client = TestClient.connect(port);
					clients.add(client);
					StringBuilder batch = new StringBuilder();
					for (int m = 0; m < 40; m++) {
						batch.append("c").append(c).append("-m").append(m).append("\r\n");
					}
					client.send(batch.toString());
				}
				for (int c = 0; c < 50; c++) {
					List<String> replies = new ArrayList<>();
					List<String> expected = new ArrayList<>();
					for (int m = 0; m < 40; m++) {
						replies.add(clients.get(c).readLine());
						expected.add("c" + c + "-m" + m + " -> OK");
					}
					assertThat(replies).containsExactlyInAnyOrderElementsOf(expected);
				}
			}
			finally {
				clients.forEach(TestClient::close);
			}
			assertThat(context.getBean(SwooleServer.class).stats().taskCount()).isEqualTo(2000);
		});
	}

	@Test
	void tasksAreRoutedToTheMostSpecificDataType() {
		this.runner.withBean(TypedHandlers.class).run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			assertThat(server.<String>taskAsync(7).join()).isEqualTo("integer 7");
			assertThat(server.<String>taskAsync(7L).join()).isEqualTo("number 7");
			assertThat(server.<String>taskAsync("seven").join()).isEqualTo("text seven");
			assertThat(server.<String>taskAsync(new StringBuilder("sb")).join()).isEqualTo("text sb");
		});
	}

	@Test
	void taskWithNoMatchingHandlerIsRefusedAtTheCallNamingTheTypeAndTheDeclaredOnes() {
		this.runner.withBean(TypedHandlers.class).run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			assertThatIllegalArgumentException().isThrownBy(() -> server.task(UUID.randomUUID()))
				.withMessageContaining("No @OnTask method takes java.util.UUID")
				.withMessageContaining("declared: pipelineIntegrationTests.TypedHandlers.number(Number)");
			assertThat(server.stats().taskCount()).isZero();
		});
	}

	@Test
	void typedFinishRoutesByResultType() {
		this.runner.withBean(TypedHandlers.class).run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("42\r\n").readLine()).isEqualTo("string result: integer 42");
				assertThat(client.send("x\r\n").readLine()).isEqualTo("string result: text x");
			}
		});
	}

	@Test
	void handlersOnClassProxiesAreFoundAndCalledThroughTheProxy() {
		this.runner.withUserConfiguration(ProxyConfiguration.class)
			.withBean(EchoTaskHandlers.class)
			.withPropertyValues("test.proxy-target-class=true")
			.run((context) -> {
				assertThat(context.getBean(EchoTaskHandlers.class).getClass().getName()).contains("SpringCGLIB");
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					assertThat(client.send("proxied\r\n").readLine()).isEqualTo("proxied -> OK");
				}
				assertThat(context.getBean(ProxyConfiguration.class).calls.get()).isEqualTo(3);
			});
	}

	@Test
	void handlersOnInterfaceProxiesAreFoundAndCalledThroughTheProxy() {
		this.runner.withUserConfiguration(ProxyConfiguration.class).withBean(InterfaceHandlers.class).run((context) -> {
			assertThat(context.getBean(Receiver.class).getClass().getName()).contains("$Proxy");
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("jdk\r\n").readLine()).isEqualTo("jdk -> OK");
			}
			assertThat(context.getBean(ProxyConfiguration.class).calls.get()).isEqualTo(3);
		});
	}

	static class ThreadRecorder {

		final Map<String, String> receiveThreads = new ConcurrentHashMap<>();

		final Map<String, String> taskThreads = new ConcurrentHashMap<>();

		final Map<String, String> finishThreads = new ConcurrentHashMap<>();

		@OnReceive
		void receive(SwooleServer server, String data) {
			this.receiveThreads.put(data, Thread.currentThread().getName());
			server.task(data);
		}

		@OnTask
		String task(String data) {
			this.taskThreads.put(data, Thread.currentThread().getName());
			return data;
		}

		@OnFinish
		void finish(Connection connection, String data) {
			this.finishThreads.put(data, Thread.currentThread().getName());
			connection.send(data + "\n");
		}

	}

	static class TypedHandlers {

		@OnReceive
		void receive(SwooleServer server, String data) {
			server.task(data.matches("\\d+") ? (Object) Integer.valueOf(data) : data);
		}

		@OnTask
		String integer(Integer data) {
			return "integer " + data;
		}

		@OnTask
		String number(Number data) {
			return "number " + data;
		}

		@OnTask
		String text(CharSequence data) {
			return "text " + data;
		}

		@OnFinish
		void string(Connection connection, String result) {
			connection.send("string result: " + result + "\n");
		}

		@OnFinish
		void other(Connection connection, Object result) {
			connection.send("other result: " + result + "\n");
		}

	}

	interface Receiver {

		void receive(SwooleServer server, String data);

		String task(String data);

		void finish(Connection connection, String result);

	}

	static class InterfaceHandlers implements Receiver {

		@OnReceive
		@Override
		public void receive(SwooleServer server, String data) {
			server.task(data);
		}

		@OnTask
		@Override
		public String task(String data) {
			return data + " -> OK";
		}

		@OnFinish
		@Override
		public void finish(Connection connection, String result) {
			connection.send(result + "\n");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxyConfiguration {

		final AtomicInteger calls = new AtomicInteger();

		@Bean
		static BeanPostProcessor countingProxies(org.springframework.core.env.Environment environment,
				org.springframework.beans.factory.BeanFactory beanFactory) {
			boolean proxyTargetClass = environment.getProperty("test.proxy-target-class", Boolean.class, false);
			return new BeanPostProcessor() {
				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (!(bean instanceof EchoTaskHandlers) && !(bean instanceof InterfaceHandlers)) {
						return bean;
					}
					ProxyFactory factory = new ProxyFactory(bean);
					factory.setProxyTargetClass(proxyTargetClass);
					factory.addAdvice((MethodInterceptor) (invocation) -> {
						beanFactory.getBean(ProxyConfiguration.class).calls.incrementAndGet();
						return invocation.proceed();
					});
					return factory.getProxy();
				}
			};
		}

	}

}
