package io.swooletask.server.netty;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;

import static org.assertj.core.api.Assertions.assertThat;

class EventKindTests {

	@Test
	void serverIsBoundInEveryEvent() {
		assertThat(EventKind.values())
			.allSatisfy((kind) -> assertThat(kind.argumentFor(SwooleServer.class)).isEqualTo(Argument.SERVER));
	}

	@Test
	void longIsTheTaskIdInTaskAndFinishAndTheFdInConnectionEvents() {
		assertThat(EventKind.TASK.argumentFor(long.class)).isEqualTo(Argument.TASK_ID);
		assertThat(EventKind.FINISH.argumentFor(long.class)).isEqualTo(Argument.TASK_ID);
		assertThat(EventKind.CONNECT.argumentFor(long.class)).isEqualTo(Argument.FD);
		assertThat(EventKind.RECEIVE.argumentFor(long.class)).isEqualTo(Argument.FD);
		assertThat(EventKind.CLOSE.argumentFor(long.class)).isEqualTo(Argument.FD);
	}

	@Test
	void intIsTheSourceWorkerInTaskTheWorkerInWorkerEventsAndTheReactorInConnectionEvents() {
		assertThat(EventKind.TASK.argumentFor(int.class)).isEqualTo(Argument.SRC_WORKER_ID);
		assertThat(EventKind.WORKER_START.argumentFor(int.class)).isEqualTo(Argument.WORKER_ID);
		assertThat(EventKind.WORKER_STOP.argumentFor(int.class)).isEqualTo(Argument.WORKER_ID);
		assertThat(EventKind.CONNECT.argumentFor(int.class)).isEqualTo(Argument.REACTOR_ID);
		assertThat(EventKind.RECEIVE.argumentFor(int.class)).isEqualTo(Argument.REACTOR_ID);
		assertThat(EventKind.CLOSE.argumentFor(int.class)).isEqualTo(Argument.REACTOR_ID);
	}

	@Test
	void intIsNotBoundInFinish() {
		assertThat(EventKind.FINISH.argumentFor(int.class)).isNull();
	}

	@Test
	void longIsNotBoundInWorkerEvents() {
		assertThat(EventKind.WORKER_START.argumentFor(long.class)).isNull();
		assertThat(EventKind.WORKER_STOP.argumentFor(long.class)).isNull();
	}

	@Test
	void connectionIsBoundInConnectionEventsAndFinishOnly() {
		assertThat(Arrays.stream(EventKind.values()).filter((kind) -> kind.argumentFor(Connection.class) != null))
			.containsExactlyInAnyOrder(EventKind.CONNECT, EventKind.RECEIVE, EventKind.CLOSE, EventKind.FINISH);
	}

	@Test
	void taskIsBoundInTaskAndFinishOnly() {
		assertThat(Arrays.stream(EventKind.values()).filter((kind) -> kind.argumentFor(Task.class) != null))
			.containsExactlyInAnyOrder(EventKind.TASK, EventKind.FINISH);
	}

	@Test
	void receiveTakesStringBytesAndByteBufferAsData() {
		assertThat(EventKind.RECEIVE.argumentFor(String.class)).isEqualTo(Argument.PAYLOAD);
		assertThat(EventKind.RECEIVE.argumentFor(byte[].class)).isEqualTo(Argument.PAYLOAD);
		assertThat(EventKind.RECEIVE.argumentFor(ByteBuffer.class)).isEqualTo(Argument.PAYLOAD);
	}

	@Test
	void receiveTakesNoOtherData() {
		assertThat(EventKind.RECEIVE.argumentFor(Object.class)).isNull();
		assertThat(EventKind.RECEIVE.argumentFor(CharSequence.class)).isNull();
		assertThat(EventKind.RECEIVE.argumentFor(Byte[].class)).isNull();
	}

	@Test
	void taskAndFinishTakeAnyOtherTypeAsData() {
		for (Class<?> type : new Class<?>[] { Object.class, String.class, Long.class, double.class, int[].class }) {
			assertThat(EventKind.TASK.argumentFor(type)).isEqualTo(Argument.PAYLOAD);
			assertThat(EventKind.FINISH.argumentFor(type)).isEqualTo(Argument.PAYLOAD);
		}
	}

	@Test
	void connectionAndWorkerEventsTakeNoData() {
		for (EventKind kind : new EventKind[] { EventKind.CONNECT, EventKind.CLOSE, EventKind.WORKER_START,
				EventKind.WORKER_STOP }) {
			assertThat(kind.argumentFor(String.class)).isNull();
		}
	}

	@Test
	void onlyTaskAndFinishAreRoutedByPayload() {
		assertThat(Arrays.stream(EventKind.values()).filter(EventKind::isRoutedByPayload))
			.containsExactlyInAnyOrder(EventKind.TASK, EventKind.FINISH);
	}

	@Test
	void annotationNameIsTheAnnotationAsWritten() {
		assertThat(EventKind.TASK.annotation()).isEqualTo(OnTask.class);
		assertThat(EventKind.TASK.annotationName()).isEqualTo("@OnTask");
		assertThat(EventKind.WORKER_STOP.annotationName()).isEqualTo("@OnWorkerStop");
	}

	@Test
	void eachEventHasItsOwnAnnotation() {
		assertThat(Arrays.stream(EventKind.values()).map(EventKind::annotation)).doesNotHaveDuplicates()
			.hasSize(EventKind.values().length);
	}

}
