package io.swooletask.web;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebFlux {@code @RestController} on Reactor Netty HTTP that answers each request with
 * a task's result, {@code Mono.fromFuture(server.taskAsync(data))}, under concurrent
 * load, while BlockHound watches every non-blocking thread (the HTTP event loops, and the
 * server's own, which complete the futures) for a blocking call. It records what it finds
 * instead of throwing, so that a blocking call anywhere on those threads fails the test
 * even where an error would be swallowed.
 */
class WebFluxTasksBlockHoundTests {

	private static final String REDEFINITION_FLAG = "-XX:+AllowRedefinitionToAddDeleteMethods";

	private static final int REQUESTS = 2_000;

	private static final int CONCURRENCY = 32;

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Queue<String> blockingCalls = new ConcurrentLinkedQueue<>();

	private static ConfigurableApplicationContext context;

	/**
	 * Reactor Netty's HTTP client on loops of its own, not the JDK's: the JDK client lost
	 * a response now and then that the server had written (over h2c and over HTTP/1.1; CI
	 * saw a request time out with every task completed and no request active on the
	 * server), a race in the client rather than in the code under test.
	 */
	private static final LoopResources clientLoops = LoopResources.create("test-http-client", 1, true);

	private static final ConnectionProvider connections = ConnectionProvider.create("test-http-client", CONCURRENCY);

	private static HttpClient http;

	@BeforeAll
	static void start() {
		Assumptions.assumeTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().contains(REDEFINITION_FLAG),
				"BlockHound needs " + REDEFINITION_FLAG + ": this test runs in the module's own 'blockhound' surefire"
						+ " execution, which sets it");
		// with the integrations on the class path (Reactor's, Netty's, Spring's), which
		// say what a
		// non-blocking thread is and which of their own blocking calls are allowed
		BlockHound.install((builder) -> builder
			.blockingMethodCallback((method) -> blockingCalls.add(method + " on " + Thread.currentThread().getName())));
		context = new SpringApplicationBuilder(WebApplication.class).web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "server.address=127.0.0.1", "swoole.server.worker-num=2",
					"swoole.server.task-worker-num=4", "spring.main.banner-mode=off")
			.run();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		http = HttpClient.create(connections)
			.runOn(clientLoops)
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(TIMEOUT);
	}

	@AfterAll
	static void stop() {
		if (context != null) {
			context.close();
		}
		connections.disposeLater().block(TIMEOUT);
		clientLoops.disposeLater().block(TIMEOUT);
	}

	@BeforeEach
	void forgetEarlierCalls() {
		blockingCalls.clear();
	}

	@Test
	void controllerAnsweringWithTaskResultsNeverBlocksAnEventLoop() {
		List<String> answers = Flux.range(0, REQUESTS)
			.flatMapSequential((i) -> get("/task?data=r" + i), CONCURRENCY)
			.collectList()
			.block(TIMEOUT.multipliedBy(4));
		assertThat(answers).hasSize(REQUESTS);
		for (int i = 0; i < REQUESTS; i++) {
			assertThat(answers.get(i)).isEqualTo("200 r" + i + " done");
		}
		SwooleServer server = context.getBean(SwooleServer.class);
		await().atMost(TIMEOUT).until(() -> server.stats().taskingNum() == 0);
		assertThat(blockingCalls).as("blocking calls on non-blocking threads").isEmpty();
	}

	@Test
	void blockingCallOnTheEventLoopIsFound() {
		assertThat(get("/blocking").block(TIMEOUT)).isEqualTo("200 slept");
		assertThat(blockingCalls).as("the sleep of /blocking").anyMatch((call) -> call.contains("sleep"));
	}

	/**
	 * A GET's status and body, as {@code "200 body"}.
	 */
	private static Mono<String> get(String path) {
		return http.get()
			.uri(path)
			.responseSingle((response,
					body) -> body.asString().defaultIfEmpty("").map((text) -> response.status().code() + " " + text));
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

		Endpoints(SwooleServer server) {
			this.server = server;
		}

		@GetMapping("/task")
		Mono<String> task(@RequestParam String data) {
			return Mono.fromFuture(() -> this.server.taskAsync(data));
		}

		/** Blocks its event loop on purpose, to show that BlockHound is watching. */
		@GetMapping("/blocking")
		Mono<String> blocking() throws InterruptedException {
			Thread.sleep(1);
			return Mono.just("slept");
		}

	}

	static class Tasks {

		@OnTask
		String run(String data) {
			LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
			return data + " done";
		}

	}

}
