package io.swooletask.amqp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The finish sequence numbers a {@link RemoteTask} sends stay within what the dispatching
 * node accepts.
 */
class RemoteTaskSequenceTests {

	private final List<Integer> sent = new ArrayList<>();

	private final RemoteTask task = new RemoteTask(1, 0, 0, "data", Instant.now(), new RemoteTask.Replies() {

		@Override
		public void send(long taskId, TaskMessages.Kind kind, int sequence, int workerId, Object result) {
			RemoteTaskSequenceTests.this.sent.add(sequence);
		}

		@Override
		public void failed(long taskId, int sequence, int workerId, String reason) {
		}

	}, null);

	@Test
	void finishBeyondTheSequenceBoundIsRefusedAndTheLastResultStillFits() {
		for (int i = 0; i < TaskMessages.MAX_SEQUENCE; i++) {
			this.task.finish("finish " + i);
		}
		assertThatIllegalStateException().isThrownBy(() -> this.task.finish("one too many"))
			.withMessageContaining("65535 finish results");
		this.task.end("last");
		assertThat(this.sent).hasSize(TaskMessages.MAX_SEQUENCE + 1).last().isEqualTo(TaskMessages.MAX_SEQUENCE);
	}

}
