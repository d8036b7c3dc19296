package io.swooletask.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Customizes the context of every {@code @SpringBootTest} (nested test classes included)
 * with {@link SwooleTestContextCustomizer}; registered in
 * {@code META-INF/spring.factories}.
 */
class SwooleTestContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return TestContextAnnotationUtils.hasAnnotation(testClass, SpringBootTest.class)
				? new SwooleTestContextCustomizer() : null;
	}

}
