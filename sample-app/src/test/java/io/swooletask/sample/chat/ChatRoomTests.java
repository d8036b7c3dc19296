package io.swooletask.sample.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.swooletask.server.SwooleServer;
import io.swooletask.test.SwooleTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat room over real sockets. A last line, said once every earlier broadcast has
 * ended, shows that no duplicate came after the expected lines: a connection's writes go
 * out in the order they were made.
 */
@SpringBootTest
@ActiveProfiles("chat")
class ChatRoomTests {

	private static final int CLIENTS = 4;

	private static final int LINES_PER_CLIENT = 5;

	@Autowired
	ObjectProvider<SwooleTestClient> clients;

	@Autowired
	SwooleServer server;

	@Test
	void everyClientSeesEveryMessageExactlyOnce() {
		awaitNoConnections();
		List<SwooleTestClient> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS; c++) {
			clients.add(this.clients.getObject().connect());
		}
		await().until(() -> this.server.connections().size() == CLIENTS);
		long completedBefore = this.server.stats().taskCompleted();
		List<String> said = new ArrayList<>();
		for (int line = 0; line < LINES_PER_CLIENT; line++) {
			for (int c = 0; c < CLIENTS; c++) {
				String text = "client " + c + " line " + line;
				clients.get(c).send("SAY " + text);
				said.add(text);
			}
		}
		for (SwooleTestClient client : clients) {
			assertThat(receiveTexts(client, said.size())).containsExactlyInAnyOrderElementsOf(said);
		}
		await().until(() -> this.server.stats().taskCompleted() == completedBefore + said.size());
		clients.get(0).send("SAY end");
		for (SwooleTestClient client : clients) {
			assertThat(receiveTexts(client, 1)).as("the line after every broadcast has ended").containsExactly("end");
		}
	}

	/**
	 * Two clients pipeline many lines each: every client sees each sender's lines in the
	 * order that sender said them, though the broadcasts run on several task workers.
	 */
	@Test
	void everyClientSeesEachSendersLinesInTheOrderTheyWereSaid() {
		int lines = 50;
		awaitNoConnections();
		List<SwooleTestClient> clients = List.of(this.clients.getObject().connect(),
				this.clients.getObject().connect());
		await().until(() -> this.server.connections().size() == clients.size());
		for (int line = 0; line < lines; line++) {
			for (int c = 0; c < clients.size(); c++) {
				clients.get(c).send("SAY client " + c + " line " + line);
			}
		}
		for (SwooleTestClient client : clients) {
			List<String> received = receiveTexts(client, lines * clients.size());
			for (int c = 0; c < clients.size(); c++) {
				String sender = "client " + c + " line ";
				assertThat(received.stream().filter((text) -> text.startsWith(sender)).toList())
					.as("the lines of client %d as another client saw them", c)
					.containsExactlyElementsOf(IntStream.range(0, lines).mapToObj((line) -> sender + line).toList());
			}
		}
	}

	/**
	 * Waits until the connections of earlier tests on this cached context are gone: the
	 * test kit closes their clients, and the server notices a moment later. Until then
	 * they would count towards the connections a test waits for before it talks.
	 */
	private void awaitNoConnections() {
		await().until(() -> this.server.connections().isEmpty());
	}

	/**
	 * The texts of the next lines, without the id of the connection that said them.
	 */
	private static List<String> receiveTexts(SwooleTestClient client, int count) {
		List<String> texts = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			String line = client.receive();
			assertThat(line).matches("\\d+: .*");
			texts.add(line.substring(line.indexOf(": ") + 2));
		}
		return texts;
	}

}
