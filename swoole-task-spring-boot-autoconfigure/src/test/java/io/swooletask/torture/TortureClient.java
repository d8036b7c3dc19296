package io.swooletask.torture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.swooletask.server.netty.NettySwooleServer;
import io.swooletask.support.Frames;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * Plays one {@link ClientScript} over a real socket, with a writer and a reader thread,
 * and records what happened in a {@link ReplyLedger}. Every wait is bounded by the
 * round's deadlines.
 */
public final class TortureClient {

	private static final Duration PAUSE_WAIT = Duration.ofMillis(600);

	/**
	 * How long no reply comes from a quiet server before a client stops waiting for the
	 * missing ones.
	 */
	private static final Duration SILENCE = Duration.ofMillis(300);

	private final ClientScript script;

	private final RoundSettings settings;

	private final NettySwooleServer server;

	private final TortureHandlers handlers;

	private final long sendUntilNanos;

	private final long giveUpNanos;

	private final ReplyLedger ledger;

	private final Semaphore window;

	private final Thread writer;

	private volatile Socket socket;

	private volatile boolean writerDone;

	private volatile boolean readerDone;

	/**
	 * Prepares a client.
	 * @param script what it does
	 * @param settings the round's settings
	 * @param server the server, on 127.0.0.1
	 * @param handlers the server's handlers
	 * @param sendUntilNanos when it stops sending new requests
	 * @param giveUpNanos when it stops waiting for replies at the latest
	 */
	public TortureClient(ClientScript script, RoundSettings settings, NettySwooleServer server,
			TortureHandlers handlers, long sendUntilNanos, long giveUpNanos) {
		this.script = script;
		this.settings = settings;
		this.server = server;
		this.handlers = handlers;
		this.sendUntilNanos = sendUntilNanos;
		this.giveUpNanos = giveUpNanos;
		this.ledger = new ReplyLedger(script.index(), script.requests());
		this.window = new Semaphore(script.depth());
		this.writer = new Thread(this::write, "torture-client-" + script.index());
		this.writer.setDaemon(true);
	}

	public void start() {
		this.writer.start();
	}

	/**
	 * Waits until both threads have ended: they end by themselves by the give-up time.
	 * @return whether they ended
	 */
	public boolean join(Duration timeout) throws InterruptedException {
		this.writer.join(timeout.toMillis());
		return !this.writer.isAlive() && (this.socket == null || this.readerDone);
	}

	/** Closes the socket, if it is still open. */
	public void close() {
		Socket socket = this.socket;
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing for good: nothing left to do
			}
		}
	}

	public ReplyLedger ledger() {
		return this.ledger;
	}

	public ClientScript script() {
		return this.script;
	}

	private void write() {
		Thread reader = null;
		try {
			pause(this.script.startDelayMillis());
			if (this.script.connectWhilePaused()) {
				awaitPause();
			}
			Socket socket = new Socket();
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress("127.0.0.1", this.server.port()), 5_000);
			socket.setSoTimeout(50);
			this.socket = socket;
			this.ledger.connected(socket.getLocalPort());
			reader = new Thread(this::read, "torture-reader-" + this.script.index());
			reader.setDaemon(true);
			reader.start();
			send(socket.getOutputStream());
		}
		catch (IOException ex) {
			// the server closed or reset the connection: the reader sees it too
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.writerDone = true;
			if (reader != null) {
				joinQuietly(reader);
			}
		}
	}

	private void send(OutputStream output) throws IOException, InterruptedException {
		Random random = new Random(this.script.seed());
		for (int i = 0; i < this.script.requests() && sending(); i++) {
			if (i == this.script.halfCloseAt()) {
				this.socket.shutdownOutput();
				this.ledger.halfClosed();
				return;
			}
			if (!acquireWindow()) {
				return;
			}
			Op op = this.script.nextOp(random);
			byte[] frame = Frames.frame("N", request(random, i, op).getBytes(StandardCharsets.US_ASCII));
			if (i == this.script.resetAt()) {
				reset(output, Arrays.copyOf(frame, 4 + random.nextInt(frame.length - 4)));
				return;
			}
			this.ledger.sending(i, op);
			output.write(frame);
		}
	}

	private String request(Random random, int sequence, Op op) {
		int arg = switch (op) {
			case TARGET -> random.nextInt(this.settings.taskWorkers());
			case BLOCK -> 1 + random.nextInt(30);
			case BIG -> this.settings.bufferOutputSize() / 100 * (50 + random.nextInt(46));
			default -> 0;
		};
		return Job.text(this.script.index(), sequence, op, arg);
	}

	/**
	 * Writes part of a frame and resets the connection (SO_LINGER 0), as a client that
	 * crashes.
	 */
	private void reset(OutputStream output, byte[] part) throws IOException {
		this.ledger.aborted();
		output.write(part);
		output.flush();
		this.socket.setSoLinger(true, 0);
		this.socket.close();
	}

	private boolean acquireWindow() throws InterruptedException {
		while (!this.window.tryAcquire(20, TimeUnit.MILLISECONDS)) {
			if (!sending()) {
				return false;
			}
		}
		return true;
	}

	private boolean sending() {
		return !this.readerDone && System.nanoTime() - this.sendUntilNanos < 0;
	}

	private void awaitPause() {
		try {
			await().atMost(PAUSE_WAIT)
				.pollInterval(Duration.ofMillis(2))
				.until(() -> this.server.readingPausedSince() != null);
		}
		catch (ConditionTimeoutException ex) {
			// the server did not pause in time: connect anyway
		}
	}

	private void read() {
		try {
			pause(this.script.readDelayMillis());
			InputStream input = this.socket.getInputStream();
			byte[] buffer = new byte[this.script.readChunk()];
			StringBuilder head = new StringBuilder();
			long lastReadNanos = System.nanoTime();
			while (!this.ledger.isAborted() && System.nanoTime() - this.giveUpNanos < 0
					&& !(this.writerDone && this.ledger.answeredAll())) {
				int read;
				try {
					read = input.read(buffer);
				}
				catch (SocketTimeoutException ex) {
					if (this.writerDone && nothingMoreComes(lastReadNanos)) {
						return;
					}
					continue;
				}
				lastReadNanos = System.nanoTime();
				if (read < 0) {
					this.ledger.closedByServer();
					return;
				}
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n') {
						this.ledger.reply(head.toString());
						head.setLength(0);
						this.window.release();
					}
					else if (head.length() < 40) {
						head.append((char) buffer[i]);
					}
				}
				if (System.nanoTime() - this.sendUntilNanos < 0) {
					// slow while it sends; then it drains what the server accepted for it
					// at full speed,
					// more than the socket buffers hold could not come through a slow
					// reader in time
					pause(this.script.readPauseMillis());
				}
			}
		}
		catch (IOException ex) {
			if (!this.ledger.isAborted()) {
				this.ledger.closedByServer();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.readerDone = true;
		}
	}

	/**
	 * Whether the replies still missing will not come: nothing came for a while, and the
	 * server tried to send each of them and was refused.
	 */
	private boolean nothingMoreComes(long lastReadNanos) {
		return System.nanoTime() - lastReadNanos > SILENCE.toNanos() && this.ledger.unanswered()
			.stream()
			.allMatch((n) -> this.handlers.refused(this.script.index() + "#" + n));
	}

	/**
	 * A client that is slow on purpose: this is its behaviour, not a wait for a
	 * condition.
	 */
	private static void pause(int millis) throws InterruptedException {
		if (millis > 0) {
			Thread.sleep(millis);
		}
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
