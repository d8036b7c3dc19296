package io.swooletask.sample.mail;

/**
 * What became of a mail: the result of its task.
 *
 * @param error why it could not be sent, or {@code null} if it was sent
 */
record MailResult(String error) {

	static final MailResult SENT = new MailResult(null);

	boolean sent() {
		return this.error == null;
	}

}
