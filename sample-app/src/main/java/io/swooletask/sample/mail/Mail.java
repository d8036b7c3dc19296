package io.swooletask.sample.mail;

/**
 * A mail to send: the task data, and the body of {@code POST /mail}.
 *
 * @param to the recipient's address
 * @param subject the subject
 * @param text the text
 */
public record Mail(String to, String subject, String text) {
}
