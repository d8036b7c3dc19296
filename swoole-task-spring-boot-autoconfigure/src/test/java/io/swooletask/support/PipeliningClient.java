package io.swooletask.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client over a real blocking socket that keeps a fixed number of requests in flight:
 * it sends that many lines {@code <prefix><n>}, then one more for each reply
 * {@code <prefix><n> -> OK}, until it has sent its quota or its time is up, and then
 * reads the replies still due. Run it on a thread of its own; it stops when it has every
 * reply, when the server closes or the socket fails ({@link #failure()}), or when it is
 * {@linkplain #close() closed}. Every count is safe to read from another thread while it
 * runs.
 */
public final class PipeliningClient implements Runnable, AutoCloseable {

	private static final String SUFFIX = " -> OK";

	private final Socket socket;

	private final String prefix;

	private final int inFlight;

	private final int quota;

	private final long sendUntilNanos;

	private final BitSet answeredSet;

	private final List<String> unexpected = new CopyOnWriteArrayList<>();

	private volatile int sent;

	private volatile int answered;

	private volatile int duplicates;

	private volatile boolean done;

	private volatile boolean closed;

	private volatile String failure;

	private PipeliningClient(Socket socket, String prefix, int inFlight, int quota, long sendUntilNanos) {
		this.socket = socket;
		this.prefix = prefix;
		this.inFlight = inFlight;
		this.quota = quota;
		this.sendUntilNanos = sendUntilNanos;
		this.answeredSet = new BitSet(quota);
	}

	/**
	 * Connects a client.
	 * @param port the server's port on 127.0.0.1
	 * @param prefix what every request of this client starts with
	 * @param inFlight how many requests it keeps unanswered
	 * @param quota how many requests it sends at most
	 * @param sendUntilNanos when it stops sending new requests, in
	 * {@link System#nanoTime()}'s terms
	 * @return the client, connected
	 */
	public static PipeliningClient connect(int port, String prefix, int inFlight, int quota, long sendUntilNanos) {
		try {
			Socket socket = new Socket();
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			// short, so that a stalled client sees close() soon; a timeout is not an
			// error here
			socket.setSoTimeout(500);
			return new PipeliningClient(socket, prefix, inFlight, quota, sendUntilNanos);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void run() {
		try {
			OutputStream output = this.socket.getOutputStream();
			InputStream input = this.socket.getInputStream();
			StringBuilder batch = new StringBuilder();
			for (int i = 0; i < this.inFlight && i < this.quota; i++) {
				batch.append(this.prefix).append(i).append('\n');
			}
			this.sent = Math.min(this.inFlight, this.quota);
			output.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
			output.flush();
			byte[] buffer = new byte[8192];
			StringBuilder line = new StringBuilder();
			while (!this.closed && this.answered < this.sent) {
				int read;
				try {
					read = input.read(buffer);
				}
				catch (SocketTimeoutException ex) {
					continue;
				}
				if (read < 0) {
					this.failure = "the server closed the connection";
					return;
				}
				int more = 0;
				for (int i = 0; i < read; i++) {
					char c = (char) buffer[i];
					if (c != '\n') {
						line.append(c);
						continue;
					}
					reply(line.toString());
					line.setLength(0);
					if (this.sent + more < this.quota && System.nanoTime() - this.sendUntilNanos < 0) {
						batch.setLength(0);
						batch.append(this.prefix).append(this.sent + more).append('\n');
						output.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
						more++;
					}
				}
				if (more > 0) {
					this.sent += more;
					output.flush();
				}
			}
		}
		catch (IOException ex) {
			if (!this.closed) {
				this.failure = ex.toString();
			}
		}
		finally {
			this.done = this.answered >= this.sent;
		}
	}

	private void reply(String reply) {
		int n = -1;
		if (reply.startsWith(this.prefix) && reply.endsWith(SUFFIX)) {
			try {
				n = Integer.parseInt(reply, this.prefix.length(), reply.length() - SUFFIX.length(), 10);
			}
			catch (NumberFormatException ex) {
				n = -1;
			}
		}
		if (n < 0 || n >= this.sent) {
			this.unexpected.add(reply);
		}
		else if (this.answeredSet.get(n)) {
			this.duplicates++;
		}
		else {
			this.answeredSet.set(n);
			this.answered++;
		}
	}

	/** How many requests it has sent. */
	public int sent() {
		return this.sent;
	}

	/** How many distinct requests have had their reply. */
	public int answered() {
		return this.answered;
	}

	/** How many replies came a second time for the same request. */
	public int duplicates() {
		return this.duplicates;
	}

	/** Replies that answer no request it sent. */
	public List<String> unexpected() {
		return this.unexpected;
	}

	/** Why it stopped early, or {@code null}: the server closed, or the socket failed. */
	public String failure() {
		return this.failure;
	}

	/** Whether it stopped with a reply to every request it sent. */
	public boolean isDone() {
		return this.done;
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing for good: nothing left to do
		}
	}

	@Override
	public String toString() {
		return "client " + this.prefix + " (" + this.answered + " of " + this.sent + " answered)";
	}

}
