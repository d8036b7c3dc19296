package io.swooletask.autoconfigure;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.swooletask.server.SwooleServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of the Swoole task server, bound to every {@code MeterRegistry} when
 * Micrometer is on the class path. Names and tags: {@code docs/observability.md}.
 */
@AutoConfiguration(before = SwooleServerAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBooleanProperty(name = "swoole.server.enabled", matchIfMissing = true)
public final class SwooleServerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	SwooleServerMetrics swooleServerMetrics(ObjectProvider<SwooleServer> swooleServer) {
		return new SwooleServerMetrics(swooleServer);
	}

}
