package io.swooletask.amqp;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

/**
 * Task data and results as JSON, through the application's Jackson mapper, with the name
 * of their type beside them so that the receiving node routes them by type as the sender
 * would. Each is read only into its {@link TrustedTypes}, and so is any class its JSON
 * names inside it, so a message cannot make a node instantiate an arbitrary class.
 */
final class TaskCodec {

	private final ObjectMapper mapper;

	private final ObjectMapper taskReader;

	private final ObjectMapper resultReader;

	private final Consumer<Class<?>> taskDataCheck;

	private final TrustedTypes taskTypes;

	private final TrustedTypes resultTypes;

	/**
	 * Creates a codec.
	 * @param mapper writes the JSON, and is the base of the readers
	 * @param taskDataCheck refuses task data of a type no {@code @OnTask} method takes,
	 * before it is read
	 * @param taskTypes the types task data may be read into
	 * @param resultTypes the types results may be read into
	 */
	TaskCodec(ObjectMapper mapper, Consumer<Class<?>> taskDataCheck, TrustedTypes taskTypes, TrustedTypes resultTypes) {
		this.mapper = mapper;
		this.taskReader = mapper.rebuild().polymorphicTypeValidator(taskTypes.validator()).build();
		this.resultReader = mapper.rebuild().polymorphicTypeValidator(resultTypes.validator()).build();
		this.taskDataCheck = taskDataCheck;
		this.taskTypes = taskTypes;
		this.resultTypes = resultTypes;
	}

	/**
	 * Writes a value as JSON.
	 * @throws IllegalArgumentException naming the type when it cannot be written
	 */
	byte[] write(Object value, String what) {
		try {
			return this.mapper.writeValueAsBytes(value);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(what + " of type " + value.getClass().getName()
					+ " cannot be sent as JSON (swoole.server.task-transport=amqp): " + ex.getOriginalMessage()
					+ ". Use a type Jackson can write and read back, such as a record or a String.", ex);
		}
	}

	Object readTask(byte[] body, String typeName) throws ClassNotFoundException {
		Class<?> type = this.taskTypes.resolve(typeName);
		this.taskDataCheck.accept(type);
		return nonNull(this.taskReader.readValue(body, type), type);
	}

	Object readResult(byte[] body, @Nullable String typeName) throws ClassNotFoundException {
		Class<?> type = this.resultTypes.resolve(typeName);
		return nonNull(this.resultReader.readValue(body, type), type);
	}

	/**
	 * A node never sends {@code null}: task data and finish results must not be null.
	 * @throws MalformedMessageException if the body is JSON {@code null}
	 */
	private static Object nonNull(@Nullable Object value, Class<?> type) {
		if (value == null) {
			throw new MalformedMessageException("the body is JSON null, not a " + type.getName());
		}
		return value;
	}

	TrustedTypes resultTypes() {
		return this.resultTypes;
	}

}
