package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.swooletask.amqp.polymorphic.Envelope;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.HandlerMethodProcessor;
import io.swooletask.server.netty.DeclaredTypes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TaskCodecTests {

	private static final String POLYMORPHIC = Envelope.class.getPackageName();

	private final TaskCodec codec = codec();

	@Test
	void taskDataRoundTrips() throws Exception {
		Job job = new Job("mail", 3);
		assertThat(this.codec.readTask(this.codec.write(job, "Task data"), Job.class.getName())).isEqualTo(job);
	}

	@Test
	void resultRoundTrips() throws Exception {
		Done done = new Done("sent", List.of("a@example.com", "b@example.com"));
		assertThat(this.codec.readResult(this.codec.write(done, "Finish result"), Done.class.getName()))
			.isEqualTo(done);
	}

	@Test
	void permittedSubclassOfASealedDataTypeRoundTripsAsItself() throws Exception {
		Circle circle = new Circle(2);
		assertThat(this.codec.readTask(this.codec.write(circle, "Task data"), Circle.class.getName()))
			.isEqualTo(circle);
	}

	@Test
	void jdkValueResultRoundTrips() throws Exception {
		assertThat(this.codec.readResult(this.codec.write(42L, "Finish result"), Long.class.getName())).isEqualTo(42L);
	}

	@Test
	void byteArrayResultRoundTrips() throws Exception {
		byte[] bytes = { 0, 1, -1, 127 };
		assertThat(this.codec.readResult(this.codec.write(bytes, "Finish result"), byte[].class.getName()))
			.isEqualTo(bytes);
	}

	@Test
	void jdkListResultIsReadAsAList() throws Exception {
		List<Integer> list = List.of(1, 2, 3);
		assertThat(this.codec.readResult(this.codec.write(list, "Finish result"), list.getClass().getName()))
			.isEqualTo(list);
	}

	@Test
	void jdkMapResultIsReadAsAMap() throws Exception {
		Map<String, Object> map = Map.of("id", 7, "name", "seven");
		assertThat(this.codec.readResult(this.codec.write(map, "Finish result"), map.getClass().getName()))
			.isEqualTo(map);
	}

	@Test
	void valueThatCannotBeWrittenNamesItsTypeAndTheTransport() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.write(new Unwritable(), "Task data"))
			.withMessageStartingWith("Task data of type " + Unwritable.class.getName()
					+ " cannot be sent as JSON (swoole.server.task-transport=amqp): ")
			.withMessageContaining("not now")
			.withMessageEndingWith(". Use a type Jackson can write and read back, such as a record or a String.")
			.withCauseInstanceOf(JacksonException.class);
	}

	@Test
	void taskDataOfAnUntrustedTypeIsRefusedUnread() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> this.codec.readTask(bytes("{not json"), ProcessBuilder.class.getName()))
			.withMessageStartingWith("Task data of type java.lang.ProcessBuilder is not read");
	}

	@Test
	void resultOfAnUntrustedTypeIsRefusedUnread() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> this.codec.readResult(bytes("{not json"), ProcessBuilder.class.getName()))
			.withMessageStartingWith("Results of type java.lang.ProcessBuilder are not read");
	}

	@Test
	void resultTypeIsNotReadAsTaskData() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> this.codec.readTask(bytes("{\"text\":\"sent\"}"), Done.class.getName()));
	}

	@Test
	void taskDataOfATrustedTypeNoOnTaskMethodTakesIsRefusedWithTheMethodsDeclared() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> codec(POLYMORPHIC).readTask(bytes("{\"content\":null}"), Envelope.class.getName()))
			.withMessageStartingWith("No @OnTask method takes " + Envelope.class.getName() + "; declared: ")
			.withMessageContaining("taskHandlers.job(Job)")
			.withMessageContaining("taskHandlers.shape(Shape)");
	}

	@Test
	void taskDataThatIsNotJsonGivesJacksonsReason() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.readTask(bytes("{not json"), Job.class.getName()))
			.satisfies((ex) -> assertThat(ex.getOriginalMessage()).contains("Unexpected character ('n'"));
	}

	@Test
	void resultThatIsNotJsonGivesJacksonsReason() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.readResult(bytes("not json"), Done.class.getName()))
			.satisfies((ex) -> assertThat(ex.getOriginalMessage()).contains("Unrecognized token 'not'"));
	}

	@Test
	void emptyBodyGivesJacksonsReason() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.readTask(new byte[0], Job.class.getName()))
			.satisfies((ex) -> assertThat(ex.getOriginalMessage()).contains("No content"));
	}

	@Test
	void taskDataOfAnotherShapeNamesTheTypeItWasToBe() {
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> this.codec.readTask(bytes("[1,2]"), Job.class.getName()))
			.satisfies((ex) -> assertThat(ex.getOriginalMessage()).contains(Job.class.getName()));
	}

	@Test
	void taskDataThatIsJsonNullIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.readTask(bytes("null"), Job.class.getName()))
			.withMessageContaining("JSON null")
			.withMessageContaining(Job.class.getName());
	}

	@Test
	void resultThatIsJsonNullIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.codec.readResult(bytes("null"), Done.class.getName()))
			.withMessageContaining("JSON null")
			.withMessageContaining(Done.class.getName());
	}

	@Test
	void trustedClassNamedInsideATrustedResultIsRead() throws Exception {
		TaskCodec codec = codec(POLYMORPHIC);
		Envelope envelope = new Envelope(new Envelope.Note("in"));
		assertThat(codec.readResult(codec.write(envelope, "Finish result"), Envelope.class.getName()))
			.isEqualTo(envelope);
	}

	@Test
	void untrustedClassNamedInsideATrustedResultIsRefusedAndCounted() {
		TaskCodec codec = codec(POLYMORPHIC);
		String json = "{\"content\":{\"@class\":\"" + Intruder.class.getName() + "\",\"text\":\"in\"}}";
		assertThatExceptionOfType(JacksonException.class)
			.isThrownBy(() -> codec.readResult(bytes(json), Envelope.class.getName()))
			.withMessageContaining(Intruder.class.getName());
		assertThat(codec.resultTypes().refused()).isOne();
	}

	private static TaskCodec codec(String... trustedPackages) {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		processor.postProcessAfterInitialization(new TaskHandlers(), "taskHandlers");
		processor.postProcessAfterInitialization(new FinishHandlers(), "finishHandlers");
		ClassLoader classLoader = TaskCodecTests.class.getClassLoader();
		return new TaskCodec(JsonMapper.builder().build(), (type) -> DeclaredTypes.checkTaskData(processor, type),
				TrustedTypes.forTaskData(() -> DeclaredTypes.taskData(processor), List.of(trustedPackages),
						classLoader),
				TrustedTypes.forResults(() -> DeclaredTypes.results(processor), List.of(trustedPackages), classLoader));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	record Job(String text, int attempts) {
	}

	record Done(String text, List<String> recipients) {
	}

	sealed interface Shape permits Circle {

	}

	record Circle(int radius) implements Shape {
	}

	record Intruder(String text) implements Envelope.Content {
	}

	static class Unwritable {

		public String getText() {
			throw new IllegalStateException("not now");
		}

	}

	static class TaskHandlers {

		@OnTask
		Done job(Job job) {
			return new Done(job.text(), List.of());
		}

		@OnTask
		void shape(Shape shape) {
		}

	}

	static class FinishHandlers {

		@OnFinish
		void done(Done done) {
		}

		@OnFinish
		void envelope(Envelope envelope) {
		}

	}

}
