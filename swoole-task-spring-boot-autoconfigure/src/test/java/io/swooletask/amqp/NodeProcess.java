package io.swooletask.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A {@link ScaleOutApplication} node in a JVM process of its own, on the test class path,
 * its output in the file {@code name.log} of its directory.
 */
final class NodeProcess implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path readyFile;

	private final Path statsFile;

	private final Path log;

	private NodeProcess(String name, Process process, Path readyFile, Path statsFile, Path log) {
		this.name = name;
		this.process = process;
		this.readyFile = readyFile;
		this.statsFile = statsFile;
		this.log = log;
	}

	static NodeProcess start(Path dir, String name, String... args) throws IOException {
		Files.createDirectories(dir);
		Path readyFile = dir.resolve(name + ".ready");
		Path statsFile = dir.resolve(name + ".stats");
		Path log = dir.resolve(name + ".log");
		Files.deleteIfExists(readyFile);
		Files.deleteIfExists(statsFile);
		Files.deleteIfExists(log);
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(ScaleOutApplication.class.getName());
		command.add("--scale-out.node=" + name);
		command.add("--scale-out.ready-file=" + readyFile);
		command.add("--scale-out.stats-file=" + statsFile);
		command.add("--spring.rabbitmq.host=" + RabbitBroker.HOST);
		command.add("--spring.rabbitmq.port=" + RabbitBroker.PORT);
		command.add("--spring.main.banner-mode=off");
		// WebFlux is on the test class path: a node is no web application
		command.add("--spring.main.web-application-type=none");
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		process.onExit().thenAccept((exited) -> note(log, "exited with " + exited.exitValue()));
		return new NodeProcess(name, process, readyFile, statsFile, log);
	}

	/**
	 * Waits until the node is ready.
	 * @return its port, or -1 when it does not listen
	 */
	int awaitReady() {
		await().atMost(Duration.ofSeconds(90))
			.failFast("node " + this.name + " exited; see " + this.log, () -> !this.process.isAlive())
			.until(() -> Files.exists(this.readyFile));
		return Integer.parseInt(read(this.readyFile));
	}

	/**
	 * Kills the node at once, as kill -9 does.
	 */
	void kill() throws InterruptedException {
		note(this.log, "killed by the test");
		this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
	}

	/**
	 * Stops the node gracefully, as kill (SIGTERM) does, and waits until it has exited.
	 */
	void stop() throws InterruptedException {
		note(this.log, "stopped by the test");
		this.process.destroy();
		if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
			throw new AssertionError("node " + this.name + " did not stop within 60 s; see " + this.log);
		}
	}

	/**
	 * The transport counters the node wrote when it stopped gracefully.
	 */
	String stats() {
		return read(this.statsFile);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private static void note(Path log, String text) {
		try {
			Files.writeString(log, "[test] " + java.time.Instant.now() + " node " + text + System.lineSeparator(),
					java.nio.file.StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file).trim();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
