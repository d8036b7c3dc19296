package io.swooletask.server.netty;

import java.util.List;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnConnect;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import static org.assertj.core.api.Assertions.assertThat;

class TaskPayloadReflectiveProcessorTests {

	private final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	private final RuntimeHints hints = hintsFor(Handlers.class);

	@Test
	void connectionHandlerMethodsAreRegisteredForInvocation() {
		assertThat(this.reflection.onMethodInvocation(Handlers.class, "connect")
			.and(this.reflection.onMethodInvocation(Handlers.class, "receive"))
			.and(this.reflection.onMethodInvocation(Handlers.class, "close"))).accepts(this.hints);
	}

	@Test
	void taskAndFinishMethodsAreRegisteredForInvocation() {
		assertThat(this.reflection.onMethodInvocation(Handlers.class, "task")
			.and(this.reflection.onMethodInvocation(Handlers.class, "finish"))).accepts(this.hints);
	}

	@Test
	void taskDataTypeIsRegisteredForBinding() {
		assertThat(this.reflection.onMethodInvocation(Order.class, "item")).accepts(this.hints);
	}

	@Test
	void taskResultTypeIsRegisteredForBinding() {
		assertThat(this.reflection.onMethodInvocation(Receipt.class, "total")).accepts(this.hints);
	}

	@Test
	void finishResultTypeIsRegisteredForBinding() {
		assertThat(this.reflection.onMethodInvocation(Refund.class, "amount")).accepts(this.hints);
	}

	@Test
	void elementTypeOfGenericTaskDataIsRegisteredForBinding() {
		assertThat(this.reflection.onMethodInvocation(Line.class, "text")).accepts(this.hints);
	}

	@Test
	void permittedSubclassesOfSealedTaskDataAreRegisteredForBinding() {
		assertThat(this.reflection.onMethodInvocation(Circle.class, "radius")
			.and(this.reflection.onMethodInvocation(Square.class, "side"))).accepts(this.hints);
	}

	@Test
	void parametersBoundToTheEventAreNotRegisteredForBinding() {
		assertThat(this.reflection.onType(SwooleServer.class)
			.or(this.reflection.onType(Task.class))
			.or(this.reflection.onType(Connection.class))).rejects(this.hints);
	}

	@Test
	void receivedDataIsNotRegisteredForBinding() {
		assertThat(this.reflection.onType(byte[].class)).rejects(this.hints);
	}

	private static RuntimeHints hintsFor(Class<?> type) {
		RuntimeHints hints = new RuntimeHints();
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(hints, type);
		return hints;
	}

	record Order(String item) {
	}

	record Receipt(long total) {
	}

	record Refund(long amount) {
	}

	record Line(String text) {
	}

	sealed interface Shape permits Circle, Square {

	}

	record Circle(double radius) implements Shape {
	}

	record Square(double side) implements Shape {
	}

	static class Handlers {

		@OnConnect
		void connect(Connection connection) {
		}

		@OnReceive
		void receive(byte[] data) {
		}

		@OnClose
		void close(long fd) {
		}

		@OnTask
		Receipt task(SwooleServer server, Task task, long taskId, Order order) {
			return new Receipt(1);
		}

		@OnTask
		void lines(List<Line> lines) {
		}

		@OnTask
		void shape(int srcWorkerId, Shape shape) {
		}

		@OnFinish
		void finish(Connection connection, Task task, Refund refund) {
		}

	}

}
