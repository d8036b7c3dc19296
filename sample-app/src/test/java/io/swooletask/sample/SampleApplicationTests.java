package io.swooletask.sample;

import io.swooletask.test.SwooleTestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@Autowired
	SwooleTestClient client;

	@Test
	void answersHelloAndPrintsTheSeedsThreeLines(CapturedOutput output) {
		assertThat(this.client.request("hello")).isEqualTo("hello -> OK");
		await().untilAsserted(() -> assertThat(output.getOut()).containsPattern("Dispatch AsyncTask: id=\\d+")
			.containsPattern("New AsyncTask\\[id=\\d+]")
			.containsPattern("AsyncTask\\[\\d+] Finish: hello -> OK"));
	}

}
