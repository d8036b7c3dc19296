package io.swooletask.benchmarks.driver;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultJsonTests {

	@Test
	void readsBackTheResultLineItWrites() {
		RunResult result = new RunResult("D", "starter", 2, 10.0, 3.0, List.of(new ClassResult("16:S20:4", "S20", 16,
				4, 2000, 2000, 1900, 190.0, 320_000.5, 330_000.0, 335_000.0, 340_000.0, 0, 0, 0, 0)));
		String line = ResultJson.line(result);
		assertThat(line).startsWith("RESULT {").doesNotContain("\n");
		assertThat(ResultJson.read(line)).isEqualTo(result);
	}

}
