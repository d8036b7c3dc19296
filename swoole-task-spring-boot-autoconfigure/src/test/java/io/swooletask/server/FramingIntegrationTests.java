package io.swooletask.server;

import java.nio.charset.StandardCharsets;

import io.swooletask.support.Frames;
import io.swooletask.support.ReplyingHandlers;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class FramingIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withBean(ReplyingHandlers.class)
		.withPropertyValues("swoole.server.worker-num=1");

	@Test
	void rawModeDeliversEachReadAsOneMessage() {
		this.runner.run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				assertThat(client.send("no framing").readLine()).isEqualTo("got 10:no framing");
			}
		});
	}

	@Test
	void eofSplitDeliversOneMessagePerDelimiterWithoutIt() {
		this.runner.withPropertyValues("swoole.server.open-eof-split=true", "swoole.server.package-eof=#|")
			.run((context) -> {
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					client.send("one#|two#|thr");
					assertThat(client.readLine()).isEqualTo("got 3:one");
					assertThat(client.readLine()).isEqualTo("got 3:two");
					assertThat(client.send("ee#|").readLine()).isEqualTo("got 5:three");
				}
			});
	}

	@Test
	void eofCheckBehavesAsEofSplit() {
		this.runner.withPropertyValues("swoole.server.open-eof-check=true").run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("a\r\nb\r\n");
				assertThat(client.readLine()).isEqualTo("got 1:a");
				assertThat(client.readLine()).isEqualTo("got 1:b");
			}
		});
	}

	@Test
	void lineSplitAcrossManyTinyWritesIsOneMessage() {
		this.runner.withPropertyValues("swoole.server.open-eof-split=true").run((context) -> {
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				for (byte b : "split into single bytes\r\n".getBytes(StandardCharsets.US_ASCII)) {
					client.write(new byte[] { b });
				}
				assertThat(client.readLine()).isEqualTo("got 23:split into single bytes");
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "c", "C", "s", "S", "n", "N", "l", "L", "v", "V" })
	void lengthCheckDeliversTheBodyForEachPackCode(String type) {
		int headerSize = Frames.size(type);
		this.runner
			.withPropertyValues("swoole.server.open-length-check=true", "swoole.server.package-length-type=" + type,
					"swoole.server.package-body-offset=" + headerSize)
			.run((context) -> {
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					byte[] first = Frames.frame(type, "first".getBytes(StandardCharsets.US_ASCII));
					byte[] second = Frames.frame(type, "second!".getBytes(StandardCharsets.US_ASCII));
					byte[] both = new byte[first.length + second.length];
					System.arraycopy(first, 0, both, 0, first.length);
					System.arraycopy(second, 0, both, first.length, second.length);
					client.write(both);
					assertThat(client.readLine()).isEqualTo("got 5:first");
					assertThat(client.readLine()).isEqualTo("got 7:second!");
				}
			});
	}

	@Test
	void bodyOffsetZeroMeansTheLengthCountsTheWholeFrame() {
		this.runner
			.withPropertyValues("swoole.server.open-length-check=true", "swoole.server.package-length-type=n",
					"swoole.server.package-body-offset=0")
			.run((context) -> {
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					byte[] body = "whole".getBytes(StandardCharsets.US_ASCII);
					assertThat(client.write(Frames.header("n", body.length + 2, body)).readLine())
						.isEqualTo("got 5:whole");
				}
			});
	}

	@Test
	void lengthFieldAfterAnOffsetIsFound() {
		this.runner
			.withPropertyValues("swoole.server.open-length-check=true", "swoole.server.package-length-type=N",
					"swoole.server.package-length-offset=2", "swoole.server.package-body-offset=6")
			.run((context) -> {
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					byte[] frame = Frames.frame("N", "off".getBytes(StandardCharsets.US_ASCII));
					byte[] withPrefix = new byte[frame.length + 2];
					withPrefix[0] = 'x';
					withPrefix[1] = 'y';
					System.arraycopy(frame, 0, withPrefix, 2, frame.length);
					assertThat(client.write(withPrefix).readLine()).isEqualTo("got 3:off");
				}
			});
	}

	@Test
	void combiningEofAndLengthFramingFailsNamingTheProperty() {
		this.runner.withPropertyValues("swoole.server.open-eof-split=true", "swoole.server.open-length-check=true")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("swoole.server.open-length-check")
				.hasMessageContaining("choose one framing"));
	}

	@Test
	void bodyOffsetInsideTheHeaderFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("swoole.server.open-length-check=true", "swoole.server.package-length-type=N",
					"swoole.server.package-body-offset=2")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("swoole.server.package-body-offset")
				.hasMessageContaining("at least 4"));
	}

	@Test
	void unknownLengthTypeFailsNamingTheProperty() {
		this.runner.withPropertyValues("swoole.server.open-length-check=true", "swoole.server.package-length-type=Q")
			.run((context) -> assertThat(context.getStartupFailure())
				.hasStackTraceContaining("swoole.server.package-length-type"));
	}

	@Test
	void negativeLengthOffsetFailsNamingTheProperty() {
		this.runner.withPropertyValues("swoole.server.open-length-check=true", "swoole.server.package-length-offset=-1")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("swoole.server.package-length-offset"));
	}

}
