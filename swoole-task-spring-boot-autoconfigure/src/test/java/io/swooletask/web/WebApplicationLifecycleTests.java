package io.swooletask.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The task pool of a web application without a TCP server runs from before the web server
 * takes its first request until after the web server's graceful drain. Requests come at
 * the edges of the web server's life, at moments set by lifecycle beans of their own
 * phase: right after the web server started, and during its shutdown, after its graceful
 * drain and before it stops.
 */
class WebApplicationLifecycleTests {

	/**
	 * Just after the web server starts (Boot starts it at {@code DEFAULT_PHASE - 2048}).
	 */
	private static final int AFTER_WEB_SERVER_START = SmartLifecycle.DEFAULT_PHASE - 2048 + 1;

	/**
	 * Between the graceful drain ({@code DEFAULT_PHASE - 1024}) and the web server's
	 * stop.
	 */
	private static final int AFTER_GRACEFUL_DRAIN = SmartLifecycle.DEFAULT_PHASE - 1536;

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Test
	void requestAtStartUpHasItsTaskRun() {
		try (ConfigurableApplicationContext context = start(EarlyRequest.class)) {
			HttpResponse<String> early = context.getBean(EarlyRequest.class).response.get();
			assertThat(early.statusCode()).as("answer to %s", early.body()).isEqualTo(200);
			assertThat(early.body()).isEqualTo("early done");
		}
	}

	@Test
	void requestInFlightDuringShutdownHasItsTaskRunAndItsOutcomeDelivered() throws Exception {
		ConfigurableApplicationContext context = start(LateRelease.class);
		LateRelease late = context.getBean(LateRelease.class);
		try {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			late.response = HttpClient.newHttpClient()
				.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/late?data=late"))
					.timeout(TIMEOUT)
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(context.getBean(Endpoints.class).lateEntered.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
				.isTrue();
		}
		finally {
			context.close();
		}
		HttpResponse<String> answer = late.response.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(answer.statusCode()).as("answer to %s", answer.body()).isEqualTo(200);
		assertThat(answer.body()).isEqualTo("late done");
	}

	private static ConfigurableApplicationContext start(Class<?> lifecycle) {
		return new SpringApplicationBuilder(WebApplication.class, lifecycle).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "server.shutdown=graceful",
					"spring.lifecycle.timeout-per-shutdown-phase=1s", "swoole.server.worker-num=1",
					"swoole.server.task-worker-num=2")
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@Import(ReactiveWebServer.class)
	static class WebApplication {

		@Bean
		Endpoints endpoints(SwooleServer server) {
			return new Endpoints(server);
		}

		@Bean
		Tasks tasks() {
			return new Tasks();
		}

	}

	@RestController
	static class Endpoints {

		private final SwooleServer server;

		final CountDownLatch lateEntered = new CountDownLatch(1);

		final CompletableFuture<Void> release = new CompletableFuture<>();

		Endpoints(SwooleServer server) {
			this.server = server;
		}

		@GetMapping("/task")
		Mono<String> task(@RequestParam String data) {
			return Mono.fromFuture(() -> this.server.taskAsync(data));
		}

		/**
		 * Dispatches its task only once {@link #release} completes, while the application
		 * stops.
		 */
		@GetMapping("/late")
		Mono<String> late(@RequestParam String data) {
			this.lateEntered.countDown();
			return Mono.fromFuture(this.release).then(Mono.fromFuture(() -> this.server.taskAsync(data)));
		}

	}

	static class Tasks {

		@OnTask
		String run(String data) {
			return data + " done";
		}

	}

	/**
	 * Asks for a task as soon as the web server has started, before any later phase.
	 */
	static class EarlyRequest implements SmartLifecycle {

		private final ApplicationContext context;

		final AtomicReference<HttpResponse<String>> response = new AtomicReference<>();

		private volatile boolean running;

		EarlyRequest(ApplicationContext context) {
			this.context = context;
		}

		@Override
		public void start() {
			int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
			try {
				this.response.set(HttpClient.newHttpClient()
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/task?data=early"))
						.timeout(TIMEOUT)
						.build(), HttpResponse.BodyHandlers.ofString()));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return AFTER_WEB_SERVER_START;
		}

	}

	/**
	 * Lets the request held by {@code /late} go on once the web server's graceful drain
	 * is over, and waits for its answer before the web server stops.
	 */
	static class LateRelease implements SmartLifecycle {

		private final Endpoints endpoints;

		volatile CompletableFuture<HttpResponse<String>> response;

		private volatile boolean running;

		LateRelease(Endpoints endpoints) {
			this.endpoints = endpoints;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.endpoints.release.complete(null);
			await().atMost(TIMEOUT).until(() -> this.response.isDone());
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return AFTER_GRACEFUL_DRAIN;
		}

	}

}
