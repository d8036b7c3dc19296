package io.swooletask.amqp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The nodes of one scale-out test, each a Spring context of its own in this JVM with its
 * own broker connection, sharing a work queue of their own on the broker. As a JUnit
 * extension it requires the broker before each test and closes the nodes after it.
 */
final class ScaleOutNodes implements AutoCloseable, BeforeEachCallback, AfterEachCallback {

	final String taskQueue = RabbitBroker.newTaskQueue();

	private final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

	/**
	 * Whether the broker was there before the test; a skipped test leaves nothing on it
	 * to delete.
	 */
	private boolean brokerRequired;

	/**
	 * A TCP node without task workers.
	 */
	ConfigurableApplicationContext tcpNode(String... properties) {
		Map<String, Object> all = new HashMap<>(pairs(properties));
		all.putIfAbsent("swoole.server.task-worker-num", "0");
		return node("origin", all);
	}

	/**
	 * A worker-only node with two task workers.
	 */
	ConfigurableApplicationContext workerNode(String name, String... properties) {
		Map<String, Object> all = new HashMap<>(pairs(properties));
		all.putIfAbsent("swoole.server.task-worker-num", "2");
		all.put("swoole.server.listen", "false");
		return node(name, all);
	}

	ConfigurableApplicationContext node(String name, Map<String, Object> properties) {
		return node(name, properties, (context) -> {
		});
	}

	/**
	 * A node whose context is prepared by an initializer before it is refreshed, for
	 * beans the application would declare.
	 */
	ConfigurableApplicationContext node(String name, Map<String, Object> properties,
			ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
		Map<String, Object> all = new HashMap<>(properties);
		all.put("scale-out.node", name);
		all.put("swoole.server.task-transport", "amqp");
		all.put("swoole.server.amqp.task-queue", this.taskQueue);
		all.putIfAbsent("swoole.server.amqp.reply-queue-expiry", "1m");
		all.put("swoole.server.port", "0");
		all.put("swoole.server.worker-num", "2");
		all.put("swoole.server.open-eof-split", "true");
		all.put("swoole.server.package-eof", "\n");
		all.put("spring.rabbitmq.host", RabbitBroker.HOST);
		all.put("spring.rabbitmq.port", RabbitBroker.PORT);
		all.put("spring.main.banner-mode", "off");
		ConfigurableApplicationContext context = new SpringApplicationBuilder(ScaleOutApplication.class)
			.web(WebApplicationType.NONE)
			.properties(all)
			.initializers(initializer)
			.run();
		this.nodes.add(context);
		return context;
	}

	private static Map<String, Object> pairs(String... properties) {
		Map<String, Object> map = new HashMap<>();
		for (String property : properties) {
			int equals = property.indexOf('=');
			map.put(property.substring(0, equals), property.substring(equals + 1));
		}
		return map;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		RabbitBroker.require();
		this.brokerRequired = true;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		close();
	}

	/**
	 * Closes the nodes still open and deletes the work queue's broker objects.
	 */
	@Override
	public void close() {
		this.nodes.forEach(ConfigurableApplicationContext::close);
		if (this.brokerRequired) {
			RabbitBroker.delete(this.taskQueue);
		}
	}

}
