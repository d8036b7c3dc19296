package io.swooletask.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import io.swooletask.server.SwooleServerStartedEvent;

import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Publishes the bound port as {@code local.swoole.server.port}, so that tests with
 * {@code swoole.server.port=0} can find it with
 * {@code @Value("${local.swoole.server.port}")}.
 */
class SwooleServerPortPublisher implements ApplicationListener<SwooleServerStartedEvent> {

	static final String PROPERTY = "local.swoole.server.port";

	private static final String SOURCE = "swoole.server.ports";

	private final ConfigurableEnvironment environment;

	SwooleServerPortPublisher(ConfigurableEnvironment environment) {
		this.environment = environment;
	}

	@Override
	@SuppressWarnings("unchecked")
	public void onApplicationEvent(SwooleServerStartedEvent event) {
		MutablePropertySources sources = this.environment.getPropertySources();
		PropertySource<?> source = sources.get(SOURCE);
		if (source == null) {
			source = new MapPropertySource(SOURCE, new HashMap<>());
			sources.addFirst(source);
		}
		((Map<String, Object>) source.getSource()).put(PROPERTY, event.getAddress().getPort());
	}

}
