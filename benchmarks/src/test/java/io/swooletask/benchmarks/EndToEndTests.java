package io.swooletask.benchmarks;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.swooletask.benchmarks.baseline.NettyBaselineServer;
import io.swooletask.benchmarks.driver.ClassResult;
import io.swooletask.benchmarks.driver.ConnectionClass;
import io.swooletask.benchmarks.driver.DriverOptions;
import io.swooletask.benchmarks.driver.HeapClient;
import io.swooletask.benchmarks.driver.LoadRun;
import io.swooletask.benchmarks.driver.RunResult;
import io.swooletask.benchmarks.starter.StarterBenchServer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the driver briefly against each server with every request type: every request is
 * answered once, in the right form. No timing is asserted.
 */
@SpringBootTest(classes = StarterBenchServer.class, properties = { "swoole.server.port=0",
		// F requests fail on purpose; the starter logs each failure at ERROR
		"logging.level.io.swooletask.server.netty.TaskInvoker=off" })
@ActiveProfiles("bench")
class EndToEndTests {

	private static final List<ConnectionClass> EVERY_TYPE = List.of(ConnectionClass.parse("4:T:8"),
			ConnectionClass.parse("2:E:2"), ConnectionClass.parse("2:T=4,S1=1,F=1:4"));

	@Value("${local.swoole.server.port}")
	int starterPort;

	@Test
	void starterAnswersEveryRequestOnce() throws Exception {
		assertAnsweredOnce(drive(this.starterPort));
		assertThat(HeapClient.usedAfterGc("127.0.0.1", this.starterPort)).isPositive();
	}

	@Test
	void baselineAnswersEveryRequestOnce() throws Exception {
		try (NettyBaselineServer baseline = NettyBaselineServer.start(0, 2, 4, false)) {
			assertAnsweredOnce(drive(baseline.port()));
			assertThat(HeapClient.usedAfterGc("127.0.0.1", baseline.port())).isPositive();
		}
	}

	private static RunResult drive(int port) throws Exception {
		DriverOptions options = DriverOptions.parse("--port", Integer.toString(port), "--duration", "300ms", "--warmup",
				"100ms", "--drain", "10s");
		return new LoadRun(options.withClasses(EVERY_TYPE)).run();
	}

	private static void assertAnsweredOnce(RunResult result) {
		assertThat(result.classes()).hasSize(EVERY_TYPE.size());
		for (ClassResult row : result.classes()) {
			assertThat(row.sent()).as(row.name()).isPositive();
			assertThat(row.answered()).as(row.name()).isEqualTo(row.sent());
			assertThat(row.errors()).as(row.name()).isZero();
			assertThat(row.lost()).as(row.name()).isZero();
			assertThat(row.disconnects()).as(row.name()).isZero();
		}
	}

}
