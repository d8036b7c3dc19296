package io.swooletask.sample;

import io.swooletask.support.SampleClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = "swoole.server.port=0")
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	@Value("${local.swoole.server.port}")
	int port;

	@Test
	void answersHelloAndPrintsTheSeedsThreeLines(CapturedOutput output) {
		try (SampleClient client = new SampleClient(this.port)) {
			assertThat(client.request("hello")).isEqualTo("hello -> OK");
		}
		await().untilAsserted(() -> assertThat(output.getOut()).containsPattern("Dispatch AsyncTask: id=\\d+")
			.containsPattern("New AsyncTask\\[id=\\d+]")
			.containsPattern("AsyncTask\\[\\d+] Finish: hello -> OK"));
	}

}
