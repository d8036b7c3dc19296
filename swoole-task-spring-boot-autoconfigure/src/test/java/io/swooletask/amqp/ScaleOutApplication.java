package io.swooletask.amqp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.util.Assert;

/**
 * One node of a scale-out test, run in the test JVM or as a process of its own. Lines
 * from clients: {@code T <payload>} runs a task that answers {@code <payload> -> OK},
 * {@code S<ms> <payload>} the same after sleeping, {@code U <text>} a task of another
 * type that answers the text upper-cased, {@code E <text>} the text at once from the
 * event loop, {@code I x} the connection id. Writes from a task on any node:
 * {@code B <text>} broadcasts the text ({@code BO <text>} from a task ordered by
 * connection), {@code R <text>} sends it to the connection, {@code RH <text>} the same
 * once {@code writeRelease} is counted down, and {@code RG <text>} then sends it until a
 * send is refused. {@code O <key> <n>} runs an ordered task, which adds itself to
 * {@link #ORDERED}. Replies name the node that ran the task. With
 * {@code scale-out.ready-file} set, the node writes its port there (-1 when not
 * listening) once it is ready.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ScaleOutApplication {

	public static void main(String[] args) {
		SpringApplication.run(ScaleOutApplication.class, args);
	}

	@Bean
	Handlers handlers(@Value("${scale-out.node:node}") String node) {
		return new Handlers(node);
	}

	@Bean
	ReadyFile readyFile(@Value("${scale-out.ready-file:}") String path, SwooleServer server) {
		return new ReadyFile(path, server);
	}

	@Bean
	StatsFile statsFile(@Value("${scale-out.stats-file:}") String path, AmqpTaskTransport transport,
			Handlers handlers) {
		return new StatsFile(path, transport, handlers);
	}

	record Job(String payload, int sleepMillis) {
	}

	record Done(String text, String node) {
	}

	record Shout(String text) {
	}

	/** A task that dispatches a {@link Job} of its payload once released. */
	record Relay(String payload) {
	}

	record Shouted(String text) {
	}

	record Broadcast(String text) {
	}

	/** A write to the task's connection from the task. */
	record Write(String text, boolean held, boolean untilRefused) {
	}

	record Ordered(String key, int n) {
	}

	/** The ordered tasks as they ran, on every node in this JVM. */
	static final Queue<Ordered> ORDERED = new ConcurrentLinkedQueue<>();

	/** The ordered tasks running now, by key, on every node in this JVM. */
	static final Map<String, AtomicInteger> ORDERED_RUNNING = new ConcurrentHashMap<>();

	/** How many ordered tasks started while another of their key ran. */
	static final AtomicInteger ORDERED_OVERLAPS = new AtomicInteger();

	static class Handlers {

		private final String node;

		/** How many times each task id ran here. */
		final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

		/** Holds the tasks whose payload is {@code hang} until counted down. */
		final CountDownLatch hang = new CountDownLatch(1);

		/** Counted down when a {@link Relay} task runs. */
		final CountDownLatch relaying = new CountDownLatch(1);

		/** Holds the {@link Relay} tasks until counted down. */
		final CountDownLatch relayRelease = new CountDownLatch(1);

		/** How many {@code Done} finish events arrived here. */
		final AtomicInteger finishes = new AtomicInteger();

		/** Counted down when a held {@link Write} task runs. */
		final CountDownLatch writing = new CountDownLatch(1);

		/** Holds the held {@link Write} tasks until counted down. */
		final CountDownLatch writeRelease = new CountDownLatch(1);

		/** What each send of a {@link Write} task returned, in order. */
		final List<Boolean> writes = new CopyOnWriteArrayList<>();

		/** The connection a {@link Write} task was handed, once one ran. */
		volatile @Nullable Connection written;

		Handlers(String node) {
			this.node = node;
		}

		@OnReceive
		void receive(SwooleServer server, Connection connection, String line) {
			int space = line.indexOf(' ');
			String command = line.substring(0, space);
			String payload = line.substring(space + 1);
			if (command.equals("E")) {
				connection.send(payload + "\n");
			}
			else if (command.equals("I")) {
				connection.send(connection.id() + "\n");
			}
			else if (command.equals("B")) {
				server.task(new Broadcast(payload));
			}
			else if (command.equals("BO")) {
				server.taskOrdered(connection.id(), new Broadcast(payload));
			}
			else if (command.startsWith("R")) {
				server.task(new Write(payload, command.length() > 1, command.equals("RG")));
			}
			else if (command.equals("O")) {
				String[] keyAndN = payload.split(" ");
				server.taskOrdered(keyAndN[0], new Ordered(keyAndN[0], Integer.parseInt(keyAndN[1])));
			}
			else if (command.equals("U")) {
				server.task(new Shout(payload));
			}
			else {
				int sleep = command.startsWith("S") ? Integer.parseInt(command.substring(1)) : 0;
				server.task(new Job(payload, sleep));
			}
		}

		@OnTask
		Done run(Job job, Task task) throws InterruptedException {
			this.runs.computeIfAbsent(task.id(), (id) -> new AtomicInteger()).incrementAndGet();
			if (job.payload().equals("fail")) {
				throw new IllegalStateException("failing as asked");
			}
			if (job.payload().equals("shutdown")) {
				throw new ServerShutdownException("thrown as asked, the node not stopping");
			}
			if (job.payload().equals("hang")) {
				this.hang.await(1, TimeUnit.MINUTES);
			}
			if (job.sleepMillis() > 0) {
				Thread.sleep(job.sleepMillis());
			}
			return new Done(job.payload() + " -> OK", this.node);
		}

		@OnTask
		Done relay(Relay relay, SwooleServer server) throws InterruptedException {
			this.relaying.countDown();
			this.relayRelease.await(1, TimeUnit.MINUTES);
			server.task(new Job(relay.payload(), 0));
			return new Done(relay.payload() + " -> relayed", this.node);
		}

		@OnTask
		void broadcast(Broadcast broadcast, SwooleServer server) {
			server.broadcast(broadcast.text() + "\n");
		}

		@OnTask
		void write(Write write, Task task) throws InterruptedException {
			Connection connection = task.connection();
			Assert.state(connection != null, "A task dispatched from @OnReceive has its connection");
			this.written = connection;
			if (write.held()) {
				this.writing.countDown();
				this.writeRelease.await(1, TimeUnit.MINUTES);
			}
			boolean sent = connection.send(write.text() + "\n");
			this.writes.add(sent);
			for (int i = 0; sent && write.untilRefused() && i < 3000; i++) {
				Thread.sleep(20);
				sent = connection.send(write.text() + "\n");
				this.writes.add(sent);
			}
		}

		@OnTask
		void ordered(Ordered ordered) throws InterruptedException {
			AtomicInteger running = ORDERED_RUNNING.computeIfAbsent(ordered.key(), (key) -> new AtomicInteger());
			if (running.incrementAndGet() > 1) {
				ORDERED_OVERLAPS.incrementAndGet();
			}
			try {
				ORDERED.add(ordered);
				Thread.sleep(ThreadLocalRandom.current().nextInt(3));
			}
			finally {
				running.decrementAndGet();
			}
		}

		@OnTask
		Shouted shout(Shout shout) {
			return new Shouted(shout.text().toUpperCase());
		}

		@OnTask
		void unwritable(Unwritable data) {
			throw new IllegalStateException("never sent: it cannot be written as JSON");
		}

		@OnTask
		String greet(Greeting greeting) {
			return "hello " + greeting.name();
		}

		@OnTask
		void held(HeldWhileWritten data) {
			throw new IllegalStateException("never run: the node stops while it is written");
		}

		@OnFinish
		void done(Done done, Connection connection) {
			this.finishes.incrementAndGet();
			if (connection != null) {
				connection.send(done.text() + " @" + done.node() + "\n");
			}
		}

		@OnFinish
		void shouted(Shouted shouted, Connection connection) {
			connection.send(shouted.text() + "\n");
		}

	}

	static class ReadyFile {

		private final String path;

		private final SwooleServer server;

		ReadyFile(String path, SwooleServer server) {
			this.path = path;
			this.server = server;
		}

		@EventListener(ApplicationReadyEvent.class)
		void write() {
			writeAtomically(this.path, Integer.toString(this.server.port()));
		}

	}

	/**
	 * Writes the finish events seen and the transport counters when the node has stopped.
	 */
	static class StatsFile implements DisposableBean {

		private final String path;

		private final AmqpTaskTransport transport;

		private final Handlers handlers;

		StatsFile(String path, AmqpTaskTransport transport, Handlers handlers) {
			this.path = path;
			this.transport = transport;
			this.handlers = handlers;
		}

		@Override
		public void destroy() {
			writeAtomically(this.path, "finishes=" + this.handlers.finishes + " " + this.transport.counters());
		}

	}

	static void writeAtomically(String path, String content) {
		if (path.isEmpty()) {
			return;
		}
		try {
			Path target = Path.of(path);
			Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
			Files.writeString(temporary, content, StandardCharsets.UTF_8);
			Files.move(temporary, target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Data an @OnTask method takes but Jackson cannot write: a property that cannot be
	 * read.
	 */
	static final class Unwritable {

		public String getValue() {
			throw new IllegalStateException("no value");
		}

	}

	/**
	 * Task data whose writing, on the thread that calls task(), waits until it is
	 * released.
	 */
	static final class HeldWhileWritten {

		private final CountDownLatch writing;

		private final CountDownLatch release;

		HeldWhileWritten(CountDownLatch writing, CountDownLatch release) {
			this.writing = writing;
			this.release = release;
		}

		public String getText() throws InterruptedException {
			this.writing.countDown();
			this.release.await(30, TimeUnit.SECONDS);
			return "held";
		}

	}

	/** Task data an @OnTask method takes by its interface only. */
	interface Greeting {

		String name();

	}

}
