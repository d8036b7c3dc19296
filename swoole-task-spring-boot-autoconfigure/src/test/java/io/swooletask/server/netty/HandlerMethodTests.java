package io.swooletask.server.netty;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.swooletask.server.Connection;
import io.swooletask.server.HandlerDefinitionException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HandlerMethodTests {

	private static final String HANDLERS = HandlerMethodTests.Handlers.class.getName();

	private static final String TASK_HELP = "Declare only these parameters, each at most once, in any order:"
			+ " SwooleServer, Task, long taskId, int srcWorkerId, and the data (one parameter of any other type).";

	private final Handlers handlers = new Handlers();

	private final SwooleServer server = stub(SwooleServer.class, Map.of());

	private final Connection connection = stub(Connection.class, Map.of("id", 42L, "reactorId", 2));

	private final Task task = stub(Task.class, Map.of("id", 7L, "srcWorkerId", 3));

	@Test
	void taskMethodGetsWhatItDeclaresInItsOwnOrder() throws Exception {
		Object result = handler(EventKind.TASK, "task").invoke(this.server, null, this.task, "data");
		assertThat(result).isEqualTo("done");
		assertThat(this.handlers.arguments).containsExactly(7L, "data", this.server, 3, this.task);
	}

	@Test
	void connectMethodGetsTheIdsOfItsConnection() throws Exception {
		handler(EventKind.CONNECT, "connect").invoke(this.server, this.connection, null, null);
		assertThat(this.handlers.arguments).containsExactly(2, this.connection, 42L);
	}

	@Test
	void finishMethodGetsTheTaskIdAndTheOriginConnection() throws Exception {
		handler(EventKind.FINISH, "finish").invoke(this.server, this.connection, this.task, "result");
		assertThat(this.handlers.arguments).containsExactly("result", this.connection, 7L);
	}

	@Test
	void workerStartMethodGetsTheWorkerId() throws Exception {
		handler(EventKind.WORKER_START, "workerStart").invoke(this.server, null, null, 5);
		assertThat(this.handlers.arguments).containsExactly(this.server, 5);
	}

	@Test
	void receiveMethodGetsTheDataAsDeclared() throws Exception {
		ByteBuffer data = ByteBuffer.wrap(new byte[] { 1 });
		handler(EventKind.RECEIVE, "receiveBuffer").invoke(this.server, this.connection, null, data);
		assertThat(this.handlers.arguments).containsExactly(data);
	}

	@Test
	void methodWithoutParametersIsInvoked() throws Exception {
		handler(EventKind.TASK, "noParameters").invoke(this.server, null, this.task, "data");
		assertThat(this.handlers.arguments).containsExactly("called");
	}

	@Test
	void privateMethodIsInvoked() throws Exception {
		assertThat(handler(EventKind.TASK, "hidden").invoke(this.server, null, this.task, "data")).isEqualTo("DATA");
	}

	@Test
	void voidMethodReturnsNull() throws Exception {
		assertThat(handler(EventKind.TASK, "noParameters").invoke(this.server, null, this.task, "data")).isNull();
	}

	@Test
	void primitiveReturnValueIsBoxed() throws Exception {
		assertThat(handler(EventKind.TASK, "length").invoke(this.server, null, this.task, "four")).isEqualTo(4);
	}

	@Test
	void primitiveDataParameterTakesItsBoxedValue() throws Exception {
		assertThat(handler(EventKind.TASK, "half").invoke(this.server, null, this.task, 3.0)).isEqualTo(1.5);
	}

	@Test
	void checkedExceptionOfTheMethodIsThrownAsIs() {
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> handler(EventKind.TASK, "throwsChecked").invoke(this.server, null, this.task, "x"))
			.withMessage("x");
	}

	@Test
	void errorOfTheMethodIsThrownAsIs() {
		assertThatExceptionOfType(LinkageError.class)
			.isThrownBy(() -> handler(EventKind.TASK, "throwsError").invoke(this.server, null, this.task, "x"))
			.withMessage("x");
	}

	@Test
	void payloadTypeIsTheDataParameterType() {
		assertThat(handler(EventKind.TASK, "task").payloadType()).isEqualTo(String.class);
	}

	@Test
	void payloadTypeOfAPrimitiveDataParameterIsBoxed() {
		assertThat(handler(EventKind.TASK, "half").payloadType()).isEqualTo(Double.class);
	}

	@Test
	void payloadTypeWithoutADataParameterIsObject() {
		assertThat(handler(EventKind.TASK, "noParameters").payloadType()).isEqualTo(Object.class);
	}

	@Test
	void returnTypeIsTheDeclaredType() {
		assertThat(handler(EventKind.TASK, "task").returnType()).isEqualTo(String.class);
	}

	@Test
	void returnTypeOfAPrimitiveIsBoxed() {
		assertThat(handler(EventKind.TASK, "length").returnType()).isEqualTo(Integer.class);
	}

	@Test
	void returnTypeOfVoidIsVoid() {
		assertThat(handler(EventKind.TASK, "noParameters").returnType()).isEqualTo(Void.class);
	}

	@Test
	void toStringNamesBeanAndMethod() {
		assertThat(handler(EventKind.TASK, "task")).hasToString("handlers.task");
	}

	@Test
	void parameterTheEventDoesNotBindNamesBeanMethodAndParameter() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.TASK, "taskWithConnection"))
			.satisfies((ex) -> assertThat(ex.getDescription())
				.isEqualTo("@OnTask method 'taskWithConnection' of bean 'handlers' (" + HANDLERS
						+ ") has a parameter it cannot bind: Connection (parameter 2)."))
			.satisfies((ex) -> assertThat(ex.getAction()).isEqualTo(TASK_HELP));
	}

	@Test
	void messageIsTheDescriptionThenTheAction() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.TASK, "taskWithConnection"))
			.withMessageStartingWith("@OnTask method 'taskWithConnection'")
			.withMessageEndingWith("(parameter 2). " + TASK_HELP);
	}

	@Test
	void secondDataParameterIsRefused() {
		assertThatExceptionOfType(HandlerDefinitionException.class).isThrownBy(() -> handler(EventKind.TASK, "twoData"))
			.satisfies((ex) -> assertThat(ex.getDescription())
				.endsWith("has a parameter it cannot bind: Integer (parameter 3)."));
	}

	@Test
	void sameIdTwiceIsRefused() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.TASK, "twoTaskIds"))
			.satisfies((ex) -> assertThat(ex.getDescription())
				.endsWith("has a parameter it cannot bind: long (parameter 2)."));
	}

	@Test
	void intInAFinishMethodIsRefusedWithTheFinishParameters() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.FINISH, "finishWithInt"))
			.satisfies((ex) -> assertThat(ex.getDescription()).startsWith("@OnFinish method 'finishWithInt'")
				.endsWith("cannot bind: int (parameter 1)."))
			.satisfies((ex) -> assertThat(ex.getAction())
				.isEqualTo("Declare only these parameters, each at most once, in any order: SwooleServer, Task,"
						+ " long taskId, Connection, and the result (one parameter of any other type)."));
	}

	@Test
	void receiveDataOfAnotherTypeThanTheThreeIsRefused() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.RECEIVE, "receiveObject"))
			.satisfies((ex) -> assertThat(ex.getDescription()).endsWith("cannot bind: Object (parameter 2)."))
			.satisfies((ex) -> assertThat(ex.getAction()).contains("the data as String, byte[] or ByteBuffer"));
	}

	@Test
	void dataInAConnectMethodIsRefused() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.CONNECT, "receiveBuffer"))
			.satisfies((ex) -> assertThat(ex.getDescription()).startsWith("@OnConnect method 'receiveBuffer'")
				.endsWith("cannot bind: ByteBuffer (parameter 1)."))
			.satisfies(
					(ex) -> assertThat(ex.getAction()).endsWith(": SwooleServer, Connection, long fd, int reactorId."));
	}

	@Test
	void longInAWorkerStartMethodIsRefused() {
		assertThatExceptionOfType(HandlerDefinitionException.class)
			.isThrownBy(() -> handler(EventKind.WORKER_START, "workerStartWithLong"))
			.satisfies((ex) -> assertThat(ex.getDescription()).endsWith("cannot bind: long (parameter 1)."))
			.satisfies((ex) -> assertThat(ex.getAction()).endsWith(": SwooleServer, int workerId."));
	}

	private HandlerMethod handler(EventKind kind, String name) {
		Method method = ReflectionUtils.findMethod(Handlers.class, name, (Class<?>[]) null);
		return HandlerMethod.of(kind, "handlers", this.handlers, method, method);
	}

	private static <T> T stub(Class<T> type, Map<String, Object> answers) {
		return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type },
				(proxy, method, args) -> switch (method.getName()) {
					case "equals" -> proxy == args[0];
					case "hashCode" -> System.identityHashCode(proxy);
					case "toString" -> type.getSimpleName();
					default -> answers.get(method.getName());
				}));
	}

	static class Handlers {

		final List<Object> arguments = new ArrayList<>();

		String task(long taskId, String data, SwooleServer server, int srcWorkerId, Task task) {
			this.arguments.addAll(List.of(taskId, data, server, srcWorkerId, task));
			return "done";
		}

		void connect(int reactorId, Connection connection, long fd) {
			this.arguments.addAll(List.of(reactorId, connection, fd));
		}

		void finish(String result, Connection connection, long taskId) {
			this.arguments.addAll(List.of(result, connection, taskId));
		}

		void workerStart(SwooleServer server, int workerId) {
			this.arguments.addAll(List.of(server, workerId));
		}

		void receiveBuffer(ByteBuffer data) {
			this.arguments.add(data);
		}

		void noParameters() {
			this.arguments.add("called");
		}

		private String hidden(String data) {
			return data.toUpperCase();
		}

		int length(String data) {
			return data.length();
		}

		double half(double data) {
			return data / 2;
		}

		void throwsChecked(String data) throws IOException {
			throw new IOException(data);
		}

		void throwsError(String data) {
			throw new LinkageError(data);
		}

		void taskWithConnection(String data, Connection connection) {
		}

		void twoData(Task task, String data, Integer other) {
		}

		void twoTaskIds(long taskId, long other) {
		}

		void finishWithInt(int result) {
		}

		void receiveObject(Connection connection, Object data) {
		}

		void workerStartWithLong(long workerId) {
		}

	}

}
