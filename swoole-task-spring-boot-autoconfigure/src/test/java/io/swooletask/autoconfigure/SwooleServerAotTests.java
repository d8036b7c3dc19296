package io.swooletask.autoconfigure;

import java.util.function.BiConsumer;

import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configuration processed ahead of time, as {@code spring-boot:process-aot}
 * does, then the generated initializer compiled and run in a fresh context, as
 * {@code -Dspring.aot.enabled=true} does.
 */
@CompileWithForkedClassLoader
class SwooleServerAotTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withUserConfiguration(HandlersConfiguration.class);

	@Test
	void handlerMethodsAreRegisteredForInvocation() {
		processAheadOfTime((generationContext,
				initializer) -> assertThat(RuntimeHintsPredicates.reflection()
					.onMethodInvocation(ReflectionUtils.findMethod(EchoTaskHandlers.class, "task", String.class)))
					.accepts(generationContext.getRuntimeHints()));
	}

	@Test
	void starterRuntimeHintsAreContributed() {
		processAheadOfTime((generationContext,
				initializer) -> assertThat(
						RuntimeHintsPredicates.reflection().onMethodInvocation(Connection.class, "id"))
					.accepts(generationContext.getRuntimeHints()));
	}

	@Test
	void aotProcessedContextServesTasks() {
		processAheadOfTime((generationContext,
				initializer) -> TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
					try (GenericApplicationContext context = new GenericApplicationContext()) {
						TestPropertyValues
							.of("swoole.server.port=0", "swoole.server.worker-num=1",
									"swoole.server.open-eof-split=true")
							.applyTo(context);
						compiled.getInstance(ApplicationContextInitializer.class, initializer.toString())
							.initialize(context);
						context.refresh();
						try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
							assertThat(client.send("hello\r\n").readLine()).isEqualTo("hello -> OK");
						}
					}
				}));
	}

	private void processAheadOfTime(BiConsumer<TestGenerationContext, ClassName> result) {
		this.runner.prepare((context) -> {
			TestGenerationContext generationContext = new TestGenerationContext();
			ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(
					(GenericApplicationContext) context.getSourceApplicationContext(), generationContext);
			generationContext.writeGeneratedContent();
			result.accept(generationContext, initializer);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class HandlersConfiguration {

		@Bean
		EchoTaskHandlers echoTaskHandlers() {
			return new EchoTaskHandlers();
		}

	}

}
