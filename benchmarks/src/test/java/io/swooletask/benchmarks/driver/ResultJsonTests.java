package io.swooletask.benchmarks.driver;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultJsonTests {

	@Test
	void readsBackTheResultLineItWrites() {
		RunResult result = new RunResult("D", "starter", 2, 10.0, 3.0, List.of(new ClassResult("16:S20:4", "S20", 16, 4,
				2000, 2000, 1900, 190.0, 320_000.5, 330_000.0, 335_000.0, 340_000.0, 0, 0, 0, 0)));
		String line = ResultJson.line(result);
		assertThat(line).startsWith("RESULT {").doesNotContain("\n").doesNotContain("CpuMsPer1k");
		assertThat(ResultJson.read(line)).isEqualTo(result);
	}

	@Test
	void readsTheLineOfTheNativeLoadGenerator() {
		// as benchmarks/native/loadgen.c prints it
		String line = "RESULT {\"scenario\":\"C\",\"server\":\"baseline\",\"run\":1,\"durationSeconds\":5.000,"
				+ "\"warmupSeconds\":2.000,\"classes\":[{\"name\":\"64:E:1\",\"mix\":\"E\",\"connections\":64,"
				+ "\"depth\":1,\"sent\":10,\"answered\":10,\"measured\":5,\"throughput\":1.000,\"p50Us\":622.0,"
				+ "\"p99Us\":7887.0,\"p999Us\":37183.0,\"maxUs\":122137.900,\"errors\":0,\"duplicates\":0,"
				+ "\"lost\":0,\"disconnects\":0}],\"driverCpuMsPer1k\":8.1530,\"serverCpuMsPer1k\":12.1750}";
		RunResult result = ResultJson.read(line);
		assertThat(result.classes()).singleElement().satisfies((row) -> {
			assertThat(row.name()).isEqualTo("64:E:1");
			assertThat(row.p99Us()).isEqualTo(7887.0);
		});
		assertThat(result.driverCpuMsPer1k()).isEqualTo(8.153);
		assertThat(result.serverCpuMsPer1k()).isEqualTo(12.175);
	}

}
