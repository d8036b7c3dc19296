package io.swooletask.support;

import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The context most tests start: the server's auto-configuration on an ephemeral port.
 * Tests add their handlers, their own properties (a later value of a property replaces
 * this one) and any other auto-configuration, which is ordered together with this one.
 */
public final class SwooleContextRunner {

	private SwooleContextRunner() {
	}

	/**
	 * A runner with {@link SwooleServerAutoConfiguration} and
	 * {@code swoole.server.port=0}.
	 * @return the runner
	 */
	public static ApplicationContextRunner create() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
			.withPropertyValues("swoole.server.port=0");
	}

}
