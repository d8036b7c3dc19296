package io.swooletask.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-up failures end in Spring Boot's "APPLICATION FAILED TO START" report with a
 * description and an action.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailureAnalysisTests {

	@Test
	void portInUseNamesThePortAndTheProperty(CapturedOutput output) throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			start(ReceiveOnly.class, "--swoole.server.port=" + taken.getLocalPort());
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("The Swoole server failed to start: port " + taken.getLocalPort()
						+ " on 127.0.0.1 is already in use.")
				.contains("Stop the process that is listening on port " + taken.getLocalPort()
						+ ", or set swoole.server.port to another port (0 picks a free one).");
		}
	}

	@Test
	void invalidSignatureNamesBeanMethodAndFix(CapturedOutput output) {
		start(BadSignature.class);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("@OnReceive method 'receive' of bean 'failureAnalysisTests.BadSignature'")
			.contains("has a parameter it cannot bind: Double (parameter 1).")
			.contains("Declare only these parameters, each at most once, in any order: SwooleServer, Connection,"
					+ " long fd, int reactorId, and the data as String, byte[] or ByteBuffer.");
	}

	@Test
	void ambiguousHandlersAreReported(CapturedOutput output) {
		start(AmbiguousTasks.class, "--swoole.server.task-worker-num=1");
		assertThat(output).contains("Two @OnTask methods take the same type java.lang.String")
			.contains("Merge them, or give each a distinct data parameter type so that one is more specific.");
	}

	@Test
	void taskWorkersWithoutTaskHandlerAreReported(CapturedOutput output) {
		start(ReceiveOnly.class, "--swoole.server.task-worker-num=3");
		assertThat(output).contains("swoole.server.task-worker-num is 3 but no @OnTask method is declared.")
			.contains("Declare an @OnTask method on a bean, or set swoole.server.task-worker-num to 0.");
	}

	@Test
	void invalidFramingNamesTheProperty(CapturedOutput output) {
		start(ReceiveOnly.class, "--swoole.server.open-length-check=true", "--swoole.server.package-body-offset=1");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value '1' for configuration property 'swoole.server.package-body-offset'")
			.contains("It must be 0 (the length counts the whole frame) or at least 4")
			.contains("Review the value of the property with the provided reason.");
	}

	@Test
	void missingSslBundleNamesTheProperty(CapturedOutput output) {
		start(ReceiveOnlyWithSslBundles.class, "--swoole.server.ssl.bundle=nope");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value 'nope' for configuration property 'swoole.server.ssl.bundle'")
			.contains("No SSL bundle named 'nope' is configured: declare it under spring.ssl.bundle.pem.nope")
			.doesNotContain("NoSuchSslBundleException");
	}

	@Test
	void noTaskWorkersWithATaskHandlerAreReported(CapturedOutput output) {
		start(ReceiveAndTask.class, "--swoole.server.task-worker-num=0");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("swoole.server.task-worker-num is 0 but @OnTask methods are declared, so no task would ever run.")
			.contains("Set swoole.server.task-worker-num to the number of task workers, or leave it unset for one per"
					+ " available processor.");
	}

	private static void start(Class<?> handlers, String... args) {
		SpringApplication application = new SpringApplication(Base.class, handlers);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setDefaultProperties(Map.of("swoole.server.port", "0", "swoole.server.worker-num", "1"));
		assertThatException().isThrownBy(() -> application.run(args).close());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SwooleServerAutoConfiguration.class)
	static class Base {

	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReceiveOnlyHandlers.class)
	static class ReceiveOnly {

	}

	static class ReceiveOnlyHandlers {

		@OnReceive
		void receive(String data) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SslAutoConfiguration.class)
	@Import(ReceiveOnlyHandlers.class)
	static class ReceiveOnlyWithSslBundles {

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ ReceiveOnlyHandlers.class, StringTaskOne.class })
	static class ReceiveAndTask {

	}

	static class BadSignature {

		@OnReceive
		void receive(Double data) {
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Import({ ReceiveOnlyHandlers.class, StringTaskOne.class, StringTaskTwo.class })
	static class AmbiguousTasks {

	}

	static class StringTaskOne {

		@OnTask
		String one(String data) {
			return data;
		}

	}

	static class StringTaskTwo {

		@OnTask
		String two(String data) {
			return data;
		}

	}

}
