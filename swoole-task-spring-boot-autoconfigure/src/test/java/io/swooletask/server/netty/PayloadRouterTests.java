package io.swooletask.server.netty;

import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PayloadRouterTests {

	private final Handlers bean = new Handlers();

	@Test
	void routesToTheHandlerOfTheExactType() {
		assertThat(tasks("integer", "number", "object").route(Integer.class)).hasToString("handlers.integer");
	}

	@Test
	void routesToTheMostSpecificSupertype() {
		assertThat(tasks("object", "number").route(Long.class)).hasToString("handlers.number");
	}

	@Test
	void routesToTheMostSpecificInterface() {
		assertThat(tasks("pet", "object", "trained").route(Guide.class)).hasToString("handlers.trained");
	}

	@Test
	void routesBySubclassBeforeSuperclass() {
		assertThat(tasks("animal", "dog").route(Puppy.class)).hasToString("handlers.dog");
		assertThat(tasks("animal", "dog").route(Cat.class)).hasToString("handlers.animal");
	}

	@Test
	void routeDoesNotDependOnTheOrderOfTheHandlers() {
		assertThat(tasks("number", "integer", "object").route(Integer.class)).hasToString("handlers.integer");
		assertThat(tasks("object", "integer", "number").route(Integer.class)).hasToString("handlers.integer");
	}

	@Test
	void routesAPayloadByItsRuntimeClass() {
		Object payload = 7;
		assertThat(tasks("number", "integer").route(payload)).hasToString("handlers.integer");
	}

	@Test
	void handlerWithoutADataParameterTakesAnything() {
		assertThat(tasks("anything").route(new Dog())).hasToString("handlers.anything");
	}

	@Test
	void handlerWithoutADataParameterTakesWhatNoOtherTakes() {
		PayloadRouter router = tasks("anything", "number");
		assertThat(router.route("text")).hasToString("handlers.anything");
		assertThat(router.route(1)).hasToString("handlers.number");
	}

	@Test
	void primitiveDataParameterTakesItsBoxedType() {
		assertThat(tasks("primitiveDouble").route(2.5)).hasToString("handlers.primitiveDouble");
	}

	@Test
	void typeNoHandlerTakesNamesTheTypeAndTheHandlersDeclared() {
		assertThatIllegalArgumentException().isThrownBy(() -> tasks("integer", "dog").route(String.class))
			.withMessage("No @OnTask method takes java.lang.String; declared: handlers.integer(Integer),"
					+ " handlers.dog(Dog)");
	}

	@Test
	void typeWithoutAnyHandlerSaysNoneIsDeclared() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PayloadRouter(EventKind.FINISH, List.of()).route(String.class))
			.withMessage("No @OnFinish method takes java.lang.String; none is declared");
	}

	@Test
	void typeTwoUnrelatedHandlersTakeEquallyNamesBoth() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tasks("object", "serializable", "charSequence").route(String.class))
			.withMessage("Several @OnTask methods take java.lang.String and none is more specific:"
					+ " handlers.serializable(Serializable), handlers.charSequence(CharSequence)");
	}

	@Test
	void moreSpecificHandlerSettlesWhatTwoUnrelatedOnesLeaveOpen() {
		assertThat(tasks("serializable", "charSequence", "string").route(String.class)).hasToString("handlers.string");
	}

	@Test
	void failedRouteFailsAgainWithTheSameMessage() {
		PayloadRouter router = tasks("integer");
		assertThatIllegalArgumentException().isThrownBy(() -> router.route("a"))
			.withMessageStartingWith("No @OnTask method takes java.lang.String");
		assertThatIllegalArgumentException().isThrownBy(() -> router.route("b"))
			.withMessageStartingWith("No @OnTask method takes java.lang.String");
	}

	@Test
	void finishRouterNamesOnFinishInItsErrors() {
		assertThatIllegalArgumentException().isThrownBy(() -> router(EventKind.FINISH, "integer").route("a"))
			.withMessageStartingWith("No @OnFinish method takes java.lang.String; declared: ");
	}

	@Test
	void routerWithoutHandlersIsEmpty() {
		assertThat(new PayloadRouter(EventKind.TASK, List.of()).isEmpty()).isTrue();
		assertThat(tasks("integer").isEmpty()).isFalse();
	}

	@Test
	void handlersAreThoseGivenInTheirOrder() {
		assertThat(tasks("number", "integer").handlers()).extracting(HandlerMethod::toString)
			.containsExactly("handlers.number", "handlers.integer");
	}

	@Test
	void handlersCannotBeChangedThroughTheRouter() {
		List<HandlerMethod> handlers = new ArrayList<>(List.of(handler(EventKind.TASK, "integer")));
		PayloadRouter router = new PayloadRouter(EventKind.TASK, handlers);
		handlers.clear();
		assertThat(router.route(1)).hasToString("handlers.integer");
		assertThat(router.handlers()).isUnmodifiable();
	}

	private PayloadRouter tasks(String... names) {
		return router(EventKind.TASK, names);
	}

	private PayloadRouter router(EventKind kind, String... names) {
		return new PayloadRouter(kind, Arrays.stream(names).map((name) -> handler(kind, name)).toList());
	}

	private HandlerMethod handler(EventKind kind, String name) {
		Method method = ReflectionUtils.findMethod(Handlers.class, name, (Class<?>[]) null);
		return HandlerMethod.of(kind, "handlers", this.bean, method, method);
	}

	static class Animal {

	}

	static class Dog extends Animal {

	}

	static class Puppy extends Dog {

	}

	static class Cat extends Animal {

	}

	interface Pet {

	}

	interface Trained extends Pet {

	}

	static class Guide implements Trained {

	}

	static class Handlers {

		void integer(Integer data) {
		}

		void number(Number data) {
		}

		void object(Object data) {
		}

		void string(String data) {
		}

		void serializable(Serializable data) {
		}

		void charSequence(CharSequence data) {
		}

		void pet(Pet data) {
		}

		void trained(Trained data) {
		}

		void animal(Animal data) {
		}

		void dog(Dog data) {
		}

		void anything() {
		}

		void primitiveDouble(double data) {
		}

	}

}
