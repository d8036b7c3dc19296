package io.swooletask.benchmarks.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ProtocolTests {

	@Test
	void parsesRequestLines() {
		assertThat(Request.parse("S20 7-42")).isEqualTo(new Request(new RequestType('S', 20), "7-42"));
		assertThat(Request.parse("T 7-42").type()).isEqualTo(RequestType.TASK);
		assertThat(Request.parse("G")).isEqualTo(new Request(RequestType.HEAP, ""));
	}

	@Test
	void rejectsWhatIsNotARequest() {
		assertThatIllegalArgumentException().isThrownBy(() -> Request.parse("X 1-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> Request.parse("S 1-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> Request.parse("Sx 1-1"));
		assertThatIllegalArgumentException().isThrownBy(() -> Request.parse("TT 1-1"));
	}

	@Test
	void writesRequestLinesAsTheyAreParsed() {
		RequestType type = RequestType.parse("S20");
		assertThat(type.line("3-9")).isEqualTo("S20 3-9\n");
		assertThat(Request.parse(type.line("3-9").strip())).isEqualTo(new Request(type, "3-9"));
	}

	@Test
	void readsEachReplyFormBack() {
		for (ReplyForm form : ReplyForm.values()) {
			assertThat(ReplyForm.parse(form.format("5-17"))).isEqualTo(new ReplyForm.Reply(form, "5-17"));
		}
	}

	@Test
	void tasksAnswerFailOrSleepAsAsked() {
		assertThat(TaskWork.run(Request.parse("T 1-2"))).isEqualTo("1-2 -> OK");
		assertThat(TaskWork.run(Request.parse("S1 1-3"))).isEqualTo("1-3 -> OK");
		assertThatExceptionOfType(TaskWork.RequestedFailureException.class)
			.isThrownBy(() -> TaskWork.run(Request.parse("F 1-4")));
	}

}
