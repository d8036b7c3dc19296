package io.swooletask.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.torture.ClientScript;
import io.swooletask.torture.CompletionLedger;
import io.swooletask.torture.RoundInvariants;
import io.swooletask.torture.RoundSettings;
import io.swooletask.torture.TortureClient;
import io.swooletask.torture.TortureHandlers;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rounds of random load on a real server over real sockets, each with random settings and
 * many clients that each behave in their own random way, checked against the server's
 * promises at the end of each round. {@code -Dswoole.torture.rounds=N} runs N rounds (3
 * by default); each prints its seed first, and {@code -Dswoole.torture.seed=S} replays
 * that round's settings and client scripts (not the interleavings of its threads).
 */
@ExtendWith(OutputCaptureExtension.class)
class TortureIntegrationTests {

	private static final int ROUNDS = Integer.getInteger("swoole.torture.rounds", 3);

	private static final Long SEED = Long.getLong("swoole.torture.seed");

	/** How long clients wait for their last replies once they stop sending. */
	private static final Duration DRAIN = Duration.ofSeconds(4);

	private static final Duration QUIET = Duration.ofSeconds(5);

	private final ApplicationContextRunner runner = SwooleContextRunner.create();

	@Test
	void everyRoundKeepsTheServersPromises(CapturedOutput output) {
		long[] seeds = seeds();
		Map<Long, List<String>> failures = new LinkedHashMap<>();
		for (int i = 0; i < seeds.length; i++) {
			RoundSettings settings = RoundSettings.draw(seeds[i]);
			System.out.println("Torture round " + (i + 1) + " of " + seeds.length + ": " + settings
					+ " (replay with -Dswoole.torture.seed=" + seeds[i] + ")");
			List<String> violations = play(settings, output);
			if (!violations.isEmpty()) {
				failures.put(seeds[i], violations);
			}
		}
		assertThat(failures).as("broken promises by round seed (replay with -Dswoole.torture.seed=)").isEmpty();
	}

	private static long[] seeds() {
		if (SEED != null) {
			return new long[] { SEED };
		}
		Random random = new Random();
		long[] seeds = new long[ROUNDS];
		for (int i = 0; i < seeds.length; i++) {
			seeds[i] = random.nextLong();
		}
		return seeds;
	}

	private List<String> play(RoundSettings settings, CapturedOutput output) {
		CompletionLedger completions = new CompletionLedger();
		TortureHandlers handlers = new TortureHandlers(completions);
		List<String> violations = new ArrayList<>();
		this.runner.withBean(TortureHandlers.class, () -> handlers)
			.withPropertyValues(settings.properties())
			.run((context) -> violations.addAll(play(settings, context, handlers, completions, output)));
		return violations;
	}

	private static List<String> play(RoundSettings settings, AssertableApplicationContext context,
			TortureHandlers handlers, CompletionLedger completions, CapturedOutput output) throws Exception {
		NettySwooleServer server = context.getBean(NettySwooleServer.class);
		int logStart = output.getAll().length();
		long sendUntil = System.nanoTime() + RoundSettings.SENDING.toNanos();
		List<TortureClient> clients = new ArrayList<>();
		Random random = new Random(~settings.seed());
		for (int i = 0; i < settings.clients(); i++) {
			clients.add(new TortureClient(ClientScript.draw(random, i), settings, server, handlers, sendUntil,
					sendUntil + DRAIN.toNanos()));
		}
		clients.forEach(TortureClient::start);
		boolean stoppedMidRound = settings.stopAfter() != null;
		int peakBeforeStop = 0;
		if (stoppedMidRound) {
			// the random moment of the stop, not a wait for a condition
			Thread.sleep(settings.stopAfter().toMillis());
			peakBeforeStop = server.stats().taskQueuePeak();
			context.close();
		}
		List<String> stuck = new ArrayList<>();
		for (TortureClient client : clients) {
			if (!client.join(DRAIN.plus(RoundSettings.SENDING).plusSeconds(2))) {
				stuck.add(client.script() + " did not end");
			}
		}
		ServerStats beforeStop = null;
		if (!stoppedMidRound) {
			awaitQuiet(server);
			beforeStop = server.stats();
			peakBeforeStop = beforeStop.taskQueuePeak();
			context.close();
		}
		if (!handlers.stop()) {
			stuck.add("the threads that dispatch off the event loops did not end");
		}
		awaitSettled(completions);
		clients.forEach(TortureClient::close);
		ServerStats stats = server.stats();
		RoundInvariants invariants = new RoundInvariants(settings, output.getAll().substring(logStart));
		stuck.forEach(invariants::violation);
		if (beforeStop != null) {
			invariants.quiet(beforeStop, "before the stop");
		}
		invariants.quiet(stats, "after the stop");
		invariants.queueBounded(peakBeforeStop);
		long refused = server.refusedWrites();
		for (TortureClient client : clients) {
			invariants.everyRequestAnsweredOnce(client.script(), client.ledger(), stoppedMidRound, refused, handlers);
		}
		invariants.settled(completions);
		invariants.errorsHaveCauses();
		return invariants.violations();
	}

	private static void awaitQuiet(NettySwooleServer server) {
		try {
			await().atMost(QUIET).until(() -> {
				ServerStats stats = server.stats();
				return stats.taskingNum() == 0 && stats.taskRunning() == 0;
			});
		}
		catch (ConditionTimeoutException ex) {
			// reported by the invariant, with the counts
		}
	}

	private static void awaitSettled(CompletionLedger completions) {
		try {
			await().atMost(QUIET).pollDelay(0, TimeUnit.MILLISECONDS).until(() -> completions.unsettled().isEmpty());
		}
		catch (ConditionTimeoutException ex) {
			// reported by the invariant, with the counts
		}
	}

}
