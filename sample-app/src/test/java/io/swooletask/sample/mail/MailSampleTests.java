package io.swooletask.sample.mail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.swooletask.sample.SampleApplication;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code mail} profile of the sample against a real SMTP server (GreenMail), over
 * real HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailSampleTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String MAIL = "{\"to\":\"ada@example.com\",\"subject\":\"Welcome\",\"text\":\"Hello, Ada\"}";

	@RegisterExtension
	final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	private final HttpClient http = HttpClient.newHttpClient();

	private final CountDownLatch smtpHolding = new CountDownLatch(1);

	private final CountDownLatch smtpRelease = new CountDownLatch(1);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private int port;

	@AfterEach
	void stop() {
		this.smtpRelease.countDown();
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void mailArrivesWithItsSubjectAndText() throws Exception {
		start(this.smtp.getSmtp().getPort());
		HttpResponse<String> accepted = post();
		assertThat(accepted.statusCode()).isEqualTo(202);
		String id = id(accepted);
		assertThat(accepted.headers().firstValue("Location")).hasValue("/mail/" + id);
		assertThat(accepted.body()).isEqualTo("{\"id\":\"" + id + "\",\"status\":\"queued\"}");
		await().atMost(TIMEOUT).until(() -> get(id).body().contains("\"sent\""));
		assertThat(get(id).body()).isEqualTo("{\"id\":\"" + id + "\",\"status\":\"sent\"}");
		MimeMessage received = this.smtp.getReceivedMessages()[0];
		assertThat(received.getSubject()).isEqualTo("Welcome");
		assertThat(((String) received.getContent()).trim()).isEqualTo("Hello, Ada");
		assertThat(received.getAllRecipients()[0]).hasToString("ada@example.com");
	}

	@Test
	void requestIsAnsweredWhileTheSmtpServerHoldsTheMail() throws Exception {
		holdDeliveries();
		start(this.smtp.getSmtp().getPort());
		HttpResponse<String> accepted = post();
		assertThat(accepted.statusCode()).isEqualTo(202);
		assertThat(this.smtpHolding.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		String id = id(accepted);
		assertThat(get(id).body()).as("status while the SMTP server holds the mail").contains("\"queued\"");
		this.smtpRelease.countDown();
		await().atMost(TIMEOUT).until(() -> get(id).body().contains("\"sent\""));
		assertThat(this.smtp.getReceivedMessages()).hasSize(1);
	}

	@Test
	void mailToAnSmtpServerThatIsDownFailsAndIsLoggedOnce(CapturedOutput output) throws Exception {
		start(closedPort());
		HttpResponse<String> accepted = post();
		assertThat(accepted.statusCode()).isEqualTo(202);
		String id = id(accepted);
		await().atMost(TIMEOUT).until(() -> get(id).body().contains("\"failed\""));
		assertThat(get(id).body()).startsWith("{\"id\":\"" + id + "\",\"status\":\"failed\",\"error\":\"")
			.contains("Connection refused");
		assertThat(output.getAll().lines().filter((line) -> line.contains("Mail " + id + " to ada@example.com failed")))
			.singleElement()
			.asString()
			.contains("WARN");
	}

	@Test
	void fullQueueAnswers503AtOnce() throws Exception {
		holdDeliveries();
		start(this.smtp.getSmtp().getPort(), "swoole.server.task-worker-num=1", "swoole.server.task-queue-capacity=1");
		assertThat(post().statusCode()).isEqualTo(202);
		assertThat(this.smtpHolding.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(post().statusCode()).as("the mail that takes the queue's one place").isEqualTo(202);
		HttpResponse<String> full = post();
		assertThat(full.statusCode()).isEqualTo(503);
		assertThat(full.headers().firstValue("Retry-After")).hasValue("1");
		this.smtpRelease.countDown();
		await().atMost(TIMEOUT).until(() -> this.smtp.getReceivedMessages().length == 2);
	}

	@Test
	void mailWithoutARecipientIsRefusedAt400() throws Exception {
		start(this.smtp.getSmtp().getPort());
		HttpResponse<String> refused = post("{\"subject\":\"Welcome\",\"text\":\"Hello\"}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("to, subject and text are required");
	}

	@Test
	void unknownMailIs404() throws Exception {
		start(this.smtp.getSmtp().getPort());
		assertThat(get("12345").statusCode()).isEqualTo(404);
	}

	private void start(int smtpPort, String... properties) {
		List<String> arguments = new ArrayList<>(List.of("server.port=0", "spring.mail.host=127.0.0.1",
				"spring.mail.port=" + smtpPort, "swoole.server.worker-num=1"));
		arguments.addAll(List.of(properties));
		// as command-line arguments, which override the application's own YAML
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class).profiles("mail")
			.run(arguments.stream().map((argument) -> "--" + argument).toArray(String[]::new));
		this.contexts.add(context);
		this.port = ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	/**
	 * Makes the SMTP server hold each mail it receives, before it accepts it, until
	 * released.
	 */
	private void holdDeliveries() {
		MessageDeliveryHandler delivery = this.smtp.getUserManager().getMessageDeliveryHandler();
		this.smtp.getUserManager().setMessageDeliveryHandler((message, address) -> {
			this.smtpHolding.countDown();
			try {
				this.smtpRelease.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return delivery.handle(message, address);
		});
	}

	private HttpResponse<String> post() throws IOException, InterruptedException {
		return post(MAIL);
	}

	private HttpResponse<String> post(String mail) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri("/mail"))
			.header("Content-Type", "application/json")
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString(mail))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String id) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri("/mail/" + id)).timeout(TIMEOUT).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static String id(HttpResponse<String> accepted) {
		return accepted.body().replaceAll(".*\"id\":\"(\\d+)\".*", "$1");
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
