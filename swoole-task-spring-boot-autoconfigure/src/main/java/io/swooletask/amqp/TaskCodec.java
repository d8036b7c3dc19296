package io.swooletask.amqp;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import io.swooletask.handler.PayloadRouter;

import org.springframework.util.ClassUtils;

/**
 * Task data and results as JSON, through the application's Jackson mapper, with the name of their
 * type beside them so that the receiving node routes them by type as the sender would. Task data is
 * only read into a type that an {@code @OnTask} method takes, and results into the
 * {@link TrustedResultTypes}, so a message cannot make a node instantiate an arbitrary class.
 */
final class TaskCodec {

	private final ObjectMapper mapper;

	private final ClassLoader classLoader;

	private final PayloadRouter tasks;

	private final TrustedResultTypes resultTypes;

	TaskCodec(ObjectMapper mapper, ClassLoader classLoader, PayloadRouter tasks, TrustedResultTypes resultTypes) {
		this.mapper = mapper;
		this.classLoader = classLoader;
		this.tasks = tasks;
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
		Class<?> type = load(typeName);
		this.tasks.route(type);
		return this.mapper.readValue(body, type);
	}

	Object readResult(byte[] body, String typeName) throws ClassNotFoundException {
		return this.mapper.readValue(body, this.resultTypes.resolve(typeName));
	}

	TrustedResultTypes resultTypes() {
		return this.resultTypes;
	}

	private Class<?> load(String typeName) throws ClassNotFoundException {
		if (typeName == null) {
			throw new ClassNotFoundException("The message names no type (header " + TaskMessages.TYPE + ")");
		}
		return ClassUtils.forName(typeName, this.classLoader);
	}

}
