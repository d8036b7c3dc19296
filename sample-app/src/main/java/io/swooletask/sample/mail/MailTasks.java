package io.swooletask.sample.mail;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.annotation.OnTask;

import org.springframework.context.annotation.Profile;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Sends mail on the task workers, where waiting for the SMTP server holds up no HTTP
 * request.
 */
@Component
@Profile("mail")
class MailTasks {

	private static final Log logger = LogFactory.getLog(MailTasks.class);

	private final JavaMailSender sender;

	MailTasks(JavaMailSender sender) {
		this.sender = sender;
	}

	@OnTask
	MailResult send(long taskId, Mail mail) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("sample@swooletask.io");
		message.setTo(mail.to());
		message.setSubject(mail.subject());
		message.setText(mail.text());
		try {
			this.sender.send(message);
			return MailResult.SENT;
		}
		catch (MailException ex) {
			logger.warn("Mail " + taskId + " to " + mail.to() + " failed: " + ex.getMessage());
			return new MailResult(ex.getMessage());
		}
		catch (RuntimeException ex) {
			// whatever else the mail library throws ends the mail as failed too, never
			// left queued
			logger.warn("Mail " + taskId + " to " + mail.to() + " failed", ex);
			return new MailResult(ex.toString());
		}
	}

}
