package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;
import io.swooletask.support.EchoTaskHandlers;
import io.swooletask.support.PipeliningClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * Many pipelining clients against a task queue so small that reading pauses and resumes all the time: the
 * server never stops reading for good, and every request is answered exactly once.
 */
class BackpressureStallIntegrationTests {

	/** So small that reading pauses and resumes about once per task. */
	private static final int CAPACITY = 4;

	private static final int CONNECTIONS = 128;

	private static final int IN_FLIGHT = 16;

	/** Requests per connection, at most: the load ends at this count or at {@link #LOAD_TIME}. */
	private static final int REQUESTS_PER_CONNECTION = 5_000;

	private static final Duration LOAD_TIME = Duration.ofSeconds(15);

	/** How long no reply at all may come while requests are outstanding before the server counts as stalled. */
	private static final Duration STALL = Duration.ofSeconds(10);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SwooleServerAutoConfiguration.class))
		.withBean(EchoTaskHandlers.class)
		.withPropertyValues("swoole.server.port=0", "swoole.server.worker-num=2", "swoole.server.task-worker-num=2",
				"swoole.server.task-queue-capacity=" + CAPACITY, "swoole.server.open-eof-split=true",
				"swoole.server.shutdown-timeout=5s")
		// a property value of its own: withPropertyValues trims the line feed away
		.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new MapPropertySource("line-framing", Map.of("swoole.server.package-eof", "\n"))));

	@Test
	void readingResumesEveryTimeTheQueueDrainsSoEveryPipelinedRequestIsAnsweredOnce() {
		this.runner.run((context) -> {
			SwooleServer server = context.getBean(SwooleServer.class);
			List<PipeliningClient> clients = new ArrayList<>();
			ExecutorService readers = Executors.newFixedThreadPool(CONNECTIONS);
			try {
				long sendUntil = System.nanoTime() + LOAD_TIME.toNanos();
				for (int c = 0; c < CONNECTIONS; c++) {
					PipeliningClient client = PipeliningClient.connect(server.port(), "c" + c + "-", IN_FLIGHT,
							REQUESTS_PER_CONNECTION, sendUntil);
					clients.add(client);
					readers.execute(client);
				}
				awaitEveryReply(server, clients, System.nanoTime());
				for (PipeliningClient client : clients) {
					assertThat(client.duplicates()).as("duplicate replies on %s", client).isZero();
					assertThat(client.unexpected()).as("replies to no request on %s", client).isEmpty();
					assertThat(client.answered()).as("answered on %s", client).isEqualTo(client.sent());
				}
				long sent = clients.stream().mapToLong(PipeliningClient::sent).sum();
				assertThat(server.stats().taskCount()).isEqualTo(sent);
			}
			finally {
				clients.forEach(PipeliningClient::close);
				readers.shutdownNow();
				readers.awaitTermination(10, TimeUnit.SECONDS);
			}
		});
	}

	/**
	 * Waits until every client has had a reply to every request it sent, failing as soon as no reply comes
	 * for {@link #STALL} while some are outstanding.
	 */
	private static void awaitEveryReply(SwooleServer server, List<PipeliningClient> clients, long startNanos) {
		long answered = -1;
		while (true) {
			long before = answered;
			try {
				await().atMost(STALL)
					.pollInterval(Duration.ofMillis(50))
					.failFast(() -> clients
						.forEach((client) -> assertThat(client.failure()).as("%s stopped early", client).isNull()))
					.until(() -> allDone(clients) || answered(clients) != before);
			}
			catch (ConditionTimeoutException ex) {
				long sent = clients.stream().mapToLong(PipeliningClient::sent).sum();
				long unanswered = sent - answered(clients);
				long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
				fail("The server stopped reading: " + unanswered + " of " + sent + " requests sent are unanswered and"
						+ " no reply came for " + STALL.toSeconds() + " s, with " + server.stats().taskingNum() + " of "
						+ CAPACITY + " task queue places taken and " + server.stats().taskCompleted()
						+ " tasks completed (" + seconds + " s into the load)");
			}
			if (allDone(clients)) {
				return;
			}
			answered = answered(clients);
		}
	}

	private static boolean allDone(List<PipeliningClient> clients) {
		return clients.stream().allMatch(PipeliningClient::isDone);
	}

	private static long answered(List<PipeliningClient> clients) {
		return clients.stream().mapToLong(PipeliningClient::answered).sum();
	}

}
