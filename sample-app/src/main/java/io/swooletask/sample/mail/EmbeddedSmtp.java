package io.swooletask.sample.mail;

import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * With no {@code spring.mail.host} set, an SMTP server inside the application (GreenMail,
 * on a free port of 127.0.0.1) that logs each mail it receives, and a mail sender pointed
 * at it: the sample then shows the whole case with nothing else running.
 */
@Configuration(proxyBeanMethods = false)
@Profile("mail")
@Conditional(EmbeddedSmtp.NoMailHost.class)
class EmbeddedSmtp {

	private static final Log logger = LogFactory.getLog(EmbeddedSmtp.class);

	@Bean(initMethod = "start", destroyMethod = "stop")
	GreenMail smtpServer() {
		GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
		MessageDeliveryHandler delivery = smtp.getUserManager().getMessageDeliveryHandler();
		smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
			logger.info("Embedded SMTP server received a mail for " + address.getEmail() + ": "
					+ message.getMessage().getSubject());
			return delivery.handle(message, address);
		});
		return smtp;
	}

	@Bean
	JavaMailSenderImpl mailSender(GreenMail smtpServer) {
		JavaMailSenderImpl sender = new JavaMailSenderImpl();
		sender.setHost("127.0.0.1");
		sender.setPort(smtpServer.getSmtp().getPort());
		logger
			.info("No spring.mail.host is set: mail goes to the embedded SMTP server on 127.0.0.1:" + sender.getPort());
		return sender;
	}

	static class NoMailHost implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !context.getEnvironment().containsProperty("spring.mail.host");
		}

	}

}
