package io.swooletask.sample.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swooletask.sample.SampleApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The chat room across nodes, as {@code docs/scale-out.md} runs it: the sample's jar
 * class path in three processes, with the profiles {@code chat,amqp}: two TCP nodes
 * without task workers and one worker-only node. Clients on both TCP nodes pipeline their
 * lines; each client sees every line exactly once, each sender's in the order said. It
 * needs RabbitMQ on 127.0.0.1:5672 (or {@code swoole.test.rabbitmq.port}): without one it
 * is skipped, unless {@code CI} is set.
 */
class ChatAcrossNodesTests {

	private static final String HOST = "127.0.0.1";

	private static final int BROKER_PORT = Integer.getInteger("swoole.test.rabbitmq.port", 5672);

	private static final Pattern LISTENING = Pattern.compile("Swoole server listening on [0-9.]+:(\\d+)");

	private static final int CLIENTS_PER_NODE = 2;

	private static final int LINES_PER_CLIENT = 25;

	private final String taskQueue = "swoole.chat.test." + UUID.randomUUID();

	private final List<Process> processes = new ArrayList<>();

	private final Path logs = Path.of("target", "chat-across-nodes");

	@BeforeEach
	void requireBroker() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, BROKER_PORT), 2000);
		}
		catch (IOException ex) {
			String message = "No RabbitMQ broker on " + HOST + ":" + BROKER_PORT + " (" + ex.getMessage() + ")";
			if (System.getenv("CI") != null) {
				fail(message + ": the chat across nodes needs it under CI; .ci/run starts it");
			}
			Assumptions.abort(message + ": chat across nodes skipped");
		}
	}

	@AfterEach
	void stopNodesAndDeleteQueues() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(60, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(HOST, BROKER_PORT);
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			admin.deleteQueue(this.taskQueue);
			admin.deleteQueue(this.taskQueue + ".dead");
			admin.deleteExchange(this.taskQueue + ".dlx");
			admin.deleteExchange(this.taskQueue + ".broadcast");
			for (int partition = 0; partition < 4; partition++) {
				admin.deleteQueue(this.taskQueue + ".ordered." + partition);
			}
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Test
	void clientsOnTwoNodesSeeEveryLineOnceInEachSendersOrder() throws IOException {
		int firstPort = start("tcp-1", "chat,amqp", "--swoole.server.task-worker-num=0");
		int secondPort = start("tcp-2", "chat,amqp", "--swoole.server.task-worker-num=0");
		start("worker", "chat,amqp,worker", "--swoole.server.task-worker-num=2");
		List<ChatClient> clients = new ArrayList<>();
		for (int c = 0; c < CLIENTS_PER_NODE; c++) {
			clients.add(new ChatClient(firstPort));
			clients.add(new ChatClient(secondPort));
		}
		try {
			joinEveryone(clients);
			Map<String, List<String>> saidBySender = new HashMap<>();
			for (int line = 0; line < LINES_PER_CLIENT; line++) {
				for (int c = 0; c < clients.size(); c++) {
					String text = "client " + c + " line " + line;
					clients.get(c).say(text);
					saidBySender.computeIfAbsent("client " + c, (sender) -> new ArrayList<>()).add(text);
				}
			}
			int total = clients.size() * LINES_PER_CLIENT;
			for (ChatClient client : clients) {
				Map<String, List<String>> heard = new HashMap<>();
				Map<String, String> senderIds = new HashMap<>();
				for (int i = 0; i < total; i++) {
					String[] idAndText = client.hear();
					String sender = idAndText[1].substring(0, idAndText[1].indexOf(" line "));
					assertThat(senderIds.computeIfAbsent(sender, (s) -> idAndText[0]))
						.as("one connection id per sender, told apart across nodes")
						.isEqualTo(idAndText[0]);
					heard.computeIfAbsent(sender, (s) -> new ArrayList<>()).add(idAndText[1]);
				}
				assertThat(heard).isEqualTo(saidBySender);
				assertThat(senderIds.values()).doesNotHaveDuplicates();
			}
			clients.get(0).say("end");
			for (ChatClient client : clients) {
				assertThat(client.hear()[1]).as("the line said after all others, with no duplicate before it")
					.isEqualTo("end");
			}
		}
		finally {
			clients.forEach(ChatClient::close);
		}
	}

	/**
	 * Waits until every client's connection is registered on its node, so that no
	 * broadcast can miss it: each client says a join line and hears it back. A client may
	 * or may not hear the join lines said before its connection was registered, so each
	 * then says a ready line, which every client hears, and each sender's after its join
	 * line: every client reads until it has heard all of them, and what it has read is
	 * discarded.
	 */
	private static void joinEveryone(List<ChatClient> clients) {
		for (int c = 0; c < clients.size(); c++) {
			clients.get(c).say("client " + c + " joins");
		}
		for (int c = 0; c < clients.size(); c++) {
			clients.get(c).hearUntil(Set.of("client " + c + " joins"));
		}
		Set<String> ready = new HashSet<>();
		for (int c = 0; c < clients.size(); c++) {
			clients.get(c).say("client " + c + " ready");
			ready.add("client " + c + " ready");
		}
		for (ChatClient client : clients) {
			client.hearUntil(ready);
		}
	}

	/**
	 * Starts a node and waits until it is ready.
	 * @return the port it listens on, or -1 for a worker-only node
	 */
	private int start(String name, String profiles, String... args) throws IOException {
		Files.createDirectories(this.logs);
		Path log = this.logs.resolve(name + ".log");
		Files.deleteIfExists(log);
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--spring.profiles.active=" + profiles, "--swoole.server.port=0",
				"--spring.rabbitmq.port=" + BROKER_PORT, "--spring.docker.compose.enabled=false",
				"--swoole.server.amqp.task-queue=" + this.taskQueue, "--spring.main.banner-mode=off"));
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
			.start();
		this.processes.add(process);
		int[] port = { 0 };
		await().atMost(Duration.ofSeconds(90))
			.failFast("node " + name + " exited; see " + log, () -> !process.isAlive())
			.until(() -> {
				String output = Files.readString(log);
				Matcher listening = LISTENING.matcher(output);
				if (listening.find()) {
					port[0] = Integer.parseInt(listening.group(1));
					return true;
				}
				if (output.contains("Swoole server running without a listener")) {
					port[0] = -1;
					return true;
				}
				return false;
			});
		return port[0];
	}

	/**
	 * A chat client: says lines, and hears {@code <sender id>: <text>} lines.
	 */
	private static final class ChatClient {

		private final Socket socket;

		private final BufferedReader reader;

		private final OutputStream output;

		ChatClient(int port) {
			try {
				this.socket = new Socket();
				this.socket.connect(new InetSocketAddress(HOST, port), 10_000);
				this.socket.setSoTimeout(30_000);
				this.reader = new BufferedReader(
						new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
				this.output = this.socket.getOutputStream();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		void say(String text) {
			try {
				this.output.write(("SAY " + text + "\n").getBytes(StandardCharsets.UTF_8));
				this.output.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * The next line heard, as its sender's connection id and its text.
		 */
		String[] hear() {
			try {
				String line = this.reader.readLine();
				assertThat(line).as("a line before the server closed the connection").isNotNull();
				int colon = line.indexOf(": ");
				return new String[] { line.substring(0, colon), line.substring(colon + 2) };
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/**
		 * Reads lines until it has heard each of the texts, and drops what it read.
		 */
		void hearUntil(Set<String> texts) {
			Set<String> left = new HashSet<>(texts);
			while (!left.isEmpty()) {
				left.remove(hear()[1]);
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
