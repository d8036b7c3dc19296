package io.swooletask.amqp.polymorphic;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A result type an application trusts, whose content names its own class in the JSON.
 *
 * @param content the content, of the class the JSON names
 */
public record Envelope(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Content content) {

	/**
	 * What an envelope holds.
	 */
	public interface Content {

	}

	/**
	 * Content of a trusted package.
	 *
	 * @param text the text
	 */
	public record Note(String text) implements Content {

	}

}
