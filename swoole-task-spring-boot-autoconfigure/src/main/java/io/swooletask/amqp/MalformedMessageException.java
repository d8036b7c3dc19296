package io.swooletask.amqp;

/**
 * A message between the nodes that lacks a header, or has one of the wrong type: it did
 * not come from a node, and is not acted on.
 */
final class MalformedMessageException extends IllegalArgumentException {

	MalformedMessageException(String message) {
		super(message);
	}

}
