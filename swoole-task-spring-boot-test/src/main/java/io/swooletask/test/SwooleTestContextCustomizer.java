package io.swooletask.test;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.Assert;

/**
 * What a {@code @SpringBootTest} gets from the test kit:
 * <ul>
 * <li>{@code swoole.server.port=0}, as {@code RANDOM_PORT} does for the web server. It
 * goes just ahead of the system properties: after the test's own property sources
 * ({@code @SpringBootTest(properties)} and {@code args}, {@code @TestPropertySource},
 * {@code @DynamicPropertySource}), which Spring puts first, so a test that sets the port
 * keeps it; before {@code application.yml}, system properties and environment variables,
 * which it overrides.</li>
 * <li>a {@link SwooleTestClient} bean, made for each injection point by
 * {@link SwooleTestClientFactory}, unless the test declares one.</li>
 * </ul>
 */
class SwooleTestContextCustomizer implements ContextCustomizer {

	private static final String PROPERTY_SOURCE = "swooleTestRandomPort";

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		MutablePropertySources sources = context.getEnvironment().getPropertySources();
		if (sources.contains(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)) {
			sources.addBefore(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
					new MapPropertySource(PROPERTY_SOURCE, Map.of("swoole.server.port", 0)));
		}
		if (!AotDetector.useGeneratedArtifacts()
				&& context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
			RootBeanDefinition registrar = new RootBeanDefinition(ClientRegistrar.class);
			registrar.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
			registry.registerBeanDefinition(ClientRegistrar.class.getName(), registrar);
		}
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other != null && other.getClass() == getClass();
	}

	@Override
	public int hashCode() {
		return getClass().hashCode();
	}

	/**
	 * Registers {@link SwooleTestClientFactory} once the configuration classes are read,
	 * unless the test has a {@link SwooleTestClient} bean of its own.
	 */
	static class ClientRegistrar implements BeanDefinitionRegistryPostProcessor, BeanFactoryAware, Ordered {

		private @Nullable BeanFactory beanFactory;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

		@Override
		public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
			Assert.state(this.beanFactory instanceof ListableBeanFactory, "No listable bean factory");
			if (BeanFactoryUtils.beanNamesForTypeIncludingAncestors((ListableBeanFactory) this.beanFactory,
					SwooleTestClient.class, true, false).length == 0) {
				registry.registerBeanDefinition(SwooleTestClient.class.getName(),
						new RootBeanDefinition(SwooleTestClientFactory.class));
			}
		}

	}

}
