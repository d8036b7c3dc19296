package io.swooletask.amqp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.exc.InvalidTypeIdException;
import tools.jackson.databind.json.JsonMapper;

import io.swooletask.amqp.polymorphic.Envelope;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.netty.HandlerMethodProcessor;
import io.swooletask.server.netty.DeclaredTypes;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class TrustedTypesTests {

	private static final String POLYMORPHIC = Envelope.class.getPackageName();

	private final HandlerMethodProcessor processor = new HandlerMethodProcessor();

	private final HandlerMethodProcessor handlers = handlers(this.processor);

	@Test
	void taskDataTypeAnOnTaskMethodDeclaresIsResolved() throws Exception {
		assertThat(taskData().resolve(Job.class.getName())).isEqualTo(Job.class);
	}

	@Test
	void permittedSubclassesOfASealedDeclaredTypeAreResolved() throws Exception {
		TrustedTypes types = taskData();
		assertThat(types.resolve(Circle.class.getName())).isEqualTo(Circle.class);
		assertThat(types.resolve(Square.class.getName())).isEqualTo(Square.class);
		assertThat(types.resolve(Square.Rounded.class.getName())).isEqualTo(Square.Rounded.class);
	}

	@Test
	void implementationOfADeclaredInterfaceThatIsNotSealedIsRefused() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> taskData().resolve(LabelledEvent.class.getName()))
			.withMessageContaining(LabelledEvent.class.getName());
	}

	@Test
	void declaringObjectDoesNotTrustEveryType() throws Exception {
		TrustedTypes types = taskData();
		assertThat(types.resolve(Object.class.getName())).isEqualTo(Object.class);
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> types.resolve(ProcessBuilder.class.getName()));
	}

	@Test
	void resultTypeIsNotTrustedAsTaskData() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> taskData().resolve(Done.class.getName()));
	}

	@Test
	void taskDataTypeIsNotTrustedAsResult() {
		assertThatExceptionOfType(TrustedTypes.Refused.class).isThrownBy(() -> results().resolve(Job.class.getName()));
	}

	@Test
	void resultTypeAnOnFinishMethodTakesIsResolved() throws Exception {
		assertThat(results().resolve(Done.class.getName())).isEqualTo(Done.class);
	}

	@Test
	void resultTypeAnOnTaskMethodReturnsIsResolved() throws Exception {
		assertThat(results().resolve(Receipt.class.getName())).isEqualTo(Receipt.class);
	}

	@Test
	void primitiveReturnTypeOfAnOnTaskMethodIsResolvedBoxed() throws Exception {
		assertThat(results().resolve(Long.class.getName())).isEqualTo(Long.class);
	}

	@Test
	void jdkValueTypesAreResolved() throws Exception {
		TrustedTypes types = taskData();
		for (Class<?> type : List.of(String.class, Boolean.class, Character.class, Integer.class, Long.class,
				Double.class, BigDecimal.class, BigInteger.class, UUID.class, Instant.class, LocalDate.class,
				ZonedDateTime.class, Duration.class)) {
			assertThat(types.resolve(type.getName())).isEqualTo(type);
		}
	}

	@Test
	void arraysOfJdkValueTypesAreResolved() throws Exception {
		TrustedTypes types = taskData();
		assertThat(types.resolve(String[].class.getName())).isEqualTo(String[].class);
		assertThat(types.resolve(Instant[][].class.getName())).isEqualTo(Instant[][].class);
	}

	@Test
	void primitiveArraysAreResolved() throws Exception {
		TrustedTypes types = taskData();
		assertThat(types.resolve(byte[].class.getName())).isEqualTo(byte[].class);
		assertThat(types.resolve(double[].class.getName())).isEqualTo(double[].class);
		assertThat(types.resolve(int[][].class.getName())).isEqualTo(int[][].class);
	}

	@Test
	void arraysOfADeclaredTypeAreResolved() throws Exception {
		assertThat(taskData().resolve(Job[].class.getName())).isEqualTo(Job[].class);
	}

	@Test
	void arraysOfAnUntrustedTypeAreRefused() {
		TrustedTypes types = taskData();
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> types.resolve(ProcessBuilder[].class.getName()));
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> types.resolve(ProcessBuilder[][].class.getName()));
	}

	@Test
	void jdkListsSetsAndMapsAreResolvedAsTheirInterface() throws Exception {
		TrustedTypes types = taskData();
		assertThat(types.resolve(ArrayList.class.getName())).isEqualTo(List.class);
		assertThat(types.resolve(List.of(1, 2, 3).getClass().getName())).isEqualTo(List.class);
		assertThat(types.resolve(HashSet.class.getName())).isEqualTo(Set.class);
		assertThat(types.resolve(LinkedHashMap.class.getName())).isEqualTo(Map.class);
		assertThat(types.resolve(ConcurrentHashMap.class.getName())).isEqualTo(Map.class);
	}

	@Test
	void jdkUtilTypesThatAreNoListSetOrMapAreRefused() {
		TrustedTypes types = taskData();
		for (String name : List.of("java.util.Random", "java.util.PriorityQueue", "java.util.Scanner",
				"java.util.NoSuchType")) {
			assertThatExceptionOfType(TrustedTypes.Refused.class).isThrownBy(() -> types.resolve(name));
		}
	}

	@Test
	void arraysOfJdkListsAreRefused() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> taskData().resolve(ArrayList[].class.getName()));
	}

	@Test
	void refusedTaskDataSaysWhyAndHowToReadIt() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> taskData().resolve(ProcessBuilder.class.getName()))
			.withMessage("Task data of type java.lang.ProcessBuilder is not read: no @OnTask method declares that"
					+ " type, and it is not a JDK value type. To read it, add its package to"
					+ " swoole.server.amqp.trusted-packages");
	}

	@Test
	void refusedResultSaysWhyAndHowToReadIt() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> results().resolve(ProcessBuilder.class.getName()))
			.withMessage("Results of type java.lang.ProcessBuilder are not read: an @OnFinish method does not take"
					+ " that type, nor an @OnTask method return it, and it is not a JDK value type. To read it,"
					+ " add its package to swoole.server.amqp.trusted-packages");
	}

	@Test
	void messageNamingNoTypeIsNotRefusedButNamesTheHeader() {
		TrustedTypes types = taskData();
		assertThatExceptionOfType(ClassNotFoundException.class).isThrownBy(() -> types.resolve(null))
			.isNotInstanceOf(TrustedTypes.Refused.class)
			.withMessage("The message names no type (header swoole-type)");
		assertThat(types.refused()).isZero();
	}

	@Test
	void everyRefusalIsCounted() {
		TrustedTypes types = taskData();
		for (String name : List.of("java.lang.ProcessBuilder", "java.lang.ProcessBuilder", "java.lang.Runtime")) {
			assertThatExceptionOfType(TrustedTypes.Refused.class).isThrownBy(() -> types.resolve(name));
		}
		assertThat(types.refused()).isEqualTo(3);
	}

	@Test
	void refusalIsLoggedOnceForEachType(CapturedOutput output) {
		TrustedTypes types = taskData();
		for (String name : List.of("java.lang.ProcessBuilder", "java.lang.ProcessBuilder", "java.lang.Runtime")) {
			assertThatExceptionOfType(TrustedTypes.Refused.class).isThrownBy(() -> types.resolve(name));
		}
		assertThat(output).containsOnlyOnce("Task data of type java.lang.ProcessBuilder is not read")
			.containsOnlyOnce("Task data of type java.lang.Runtime is not read")
			.contains("WARN");
	}

	@Test
	void typesOfATrustedPackageAreResolved() throws Exception {
		assertThat(taskData(POLYMORPHIC).resolve(Envelope.class.getName())).isEqualTo(Envelope.class);
	}

	@Test
	void typesOfASubpackageOfATrustedPackageAreResolved() throws Exception {
		assertThat(taskData("io.swooletask").resolve(Envelope.class.getName())).isEqualTo(Envelope.class);
	}

	@Test
	void arraysOfTypesOfATrustedPackageAreResolved() throws Exception {
		assertThat(taskData(POLYMORPHIC).resolve(Envelope[].class.getName())).isEqualTo(Envelope[].class);
	}

	@Test
	void trustedPackageIsNotAPrefixOfAnotherPackage() {
		assertThatExceptionOfType(TrustedTypes.Refused.class)
			.isThrownBy(() -> taskData("io.swooletask.amqp.poly").resolve(Envelope.class.getName()));
	}

	@Test
	void missingTypeOfATrustedPackageIsNotFoundAndNotRefused() {
		TrustedTypes types = taskData(POLYMORPHIC);
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> types.resolve(POLYMORPHIC + ".Missing"))
			.isNotInstanceOf(TrustedTypes.Refused.class)
			.withMessageContaining(POLYMORPHIC + ".Missing");
		assertThat(types.refused()).isZero();
	}

	@Test
	void handlersFoundAfterTheTypesAreMadeAreTrustedAtTheFirstMessage() throws Exception {
		HandlerMethodProcessor processor = new HandlerMethodProcessor();
		TrustedTypes types = TrustedTypes.forTaskData(() -> DeclaredTypes.taskData(processor), List.of(),
				getClass().getClassLoader());
		processor.postProcessAfterInitialization(new TaskHandlers(), "taskHandlers");
		assertThat(types.resolve(Job.class.getName())).isEqualTo(Job.class);
	}

	@Test
	void validatorLetsJsonNameATrustedClassInsideAValue() {
		JsonMapper mapper = mapper(taskData(POLYMORPHIC));
		assertThat(mapper.readValue(envelope(Envelope.Note.class), Envelope.class))
			.isEqualTo(new Envelope(new Envelope.Note("in")));
	}

	@Test
	void validatorRefusesAnUntrustedClassThatJsonNamesInsideAValue() {
		TrustedTypes types = taskData(POLYMORPHIC);
		JsonMapper mapper = mapper(types);
		assertThatExceptionOfType(InvalidTypeIdException.class)
			.isThrownBy(() -> mapper.readValue(envelope(Intruder.class), Envelope.class))
			.withMessageContaining(Intruder.class.getName());
		assertThat(types.refused()).isOne();
	}

	@Test
	void validatorLetsJsonNameAJdkList() {
		JsonMapper mapper = mapper(taskData());
		assertThat(mapper.readValue("{\"value\":[\"java.util.ArrayList\",[1,2]]}", Anything.class))
			.isEqualTo(new Anything(List.of(1, 2)));
	}

	@Test
	void validatorRefusesAJdkTypeThatIsNoValueTypeNorContainer() {
		JsonMapper mapper = mapper(taskData());
		assertThatExceptionOfType(InvalidTypeIdException.class)
			.isThrownBy(() -> mapper.readValue("{\"value\":[\"java.lang.ProcessBuilder\",{}]}", Anything.class))
			.withMessageContaining("java.lang.ProcessBuilder");
	}

	private TrustedTypes taskData(String... trustedPackages) {
		return TrustedTypes.forTaskData(() -> DeclaredTypes.taskData(this.handlers), List.of(trustedPackages),
				getClass().getClassLoader());
	}

	private TrustedTypes results(String... trustedPackages) {
		return TrustedTypes.forResults(() -> DeclaredTypes.results(this.handlers), List.of(trustedPackages),
				getClass().getClassLoader());
	}

	private static HandlerMethodProcessor handlers(HandlerMethodProcessor processor) {
		processor.postProcessAfterInitialization(new TaskHandlers(), "taskHandlers");
		processor.postProcessAfterInitialization(new FinishHandlers(), "finishHandlers");
		return processor;
	}

	private static JsonMapper mapper(TrustedTypes types) {
		return JsonMapper.builder().polymorphicTypeValidator(types.validator()).build();
	}

	private static String envelope(Class<?> content) {
		return "{\"content\":{\"@class\":\"" + content.getName() + "\",\"text\":\"in\"}}";
	}

	record Job(String text) {
	}

	record Done(String text) {
	}

	record Receipt(String text) {
	}

	sealed interface Shape permits Circle, Square {

	}

	record Circle(int radius) implements Shape {
	}

	static sealed class Square implements Shape permits Square.Rounded {

		static final class Rounded extends Square {

		}

	}

	interface Event {

	}

	record LabelledEvent(String label) implements Event {
	}

	record Intruder(String text) implements Envelope.Content {
	}

	record Anything(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, include = JsonTypeInfo.As.WRAPPER_ARRAY) Object value) {
	}

	static class TaskHandlers {

		@OnTask
		Receipt job(Job job) {
			return new Receipt(job.text());
		}

		@OnTask
		long shape(Shape shape) {
			return 0;
		}

		@OnTask
		void event(Event event) {
		}

		@OnTask
		void anything() {
		}

	}

	static class FinishHandlers {

		@OnFinish
		void done(Done done) {
		}

	}

}
