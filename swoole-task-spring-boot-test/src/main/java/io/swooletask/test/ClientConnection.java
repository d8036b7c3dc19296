package io.swooletask.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One connection of the client over a blocking socket: writes frames, and reads replies
 * that it cuts out of the received bytes, each read waiting only until a deadline.
 */
final class ClientConnection implements AutoCloseable {

	private final Socket socket;

	private final InputStream input;

	private final OutputStream output;

	private final MessageFraming framing;

	private byte[] received = new byte[8192];

	private int start;

	private int end;

	private ClientConnection(Socket socket, MessageFraming framing) throws IOException {
		this.socket = socket;
		this.input = socket.getInputStream();
		this.output = socket.getOutputStream();
		this.framing = framing;
	}

	/**
	 * Connects, and with TLS completes the handshake.
	 * @param address where to connect to
	 * @param tls how to secure the connection, or {@code null} for plain TCP
	 * @param framing how messages are framed
	 * @param timeout how long connecting and the handshake may take each
	 * @return the connection
	 * @throws IOException if connecting or the handshake fails
	 */
	static ClientConnection open(InetSocketAddress address, @Nullable ClientTls tls, MessageFraming framing,
			Duration timeout) throws IOException {
		Socket socket = new Socket();
		try {
			socket.setTcpNoDelay(true);
			int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
			socket.connect(address, millis);
			socket.setSoTimeout(millis);
			return new ClientConnection((tls != null) ? tls.handshake(socket) : socket, framing);
		}
		catch (IOException | RuntimeException ex) {
			socket.close();
			throw ex;
		}
	}

	void write(byte[] bytes) throws IOException {
		this.output.write(bytes);
		this.output.flush();
	}

	/**
	 * The next reply.
	 * @param deadline when to stop waiting, in {@link System#nanoTime()}'s terms
	 * @return the reply, or {@code null} if the server closed the connection before a
	 * whole one came
	 * @throws SocketTimeoutException if no whole reply came by the deadline
	 * @throws IOException if the connection fails
	 */
	byte @Nullable [] read(long deadline) throws IOException {
		while (true) {
			MessageFraming.Frame frame = this.framing.next(this.received, this.start, this.end);
			if (frame != null) {
				this.start += frame.length();
				return frame.message();
			}
			if (!fill(deadline)) {
				return null;
			}
		}
	}

	/**
	 * Reads until the server closes the connection; a reset counts as closed.
	 * @param deadline when to stop waiting, in {@link System#nanoTime()}'s terms
	 * @throws SocketTimeoutException if the connection is still open at the deadline
	 */
	void awaitClose(long deadline) throws SocketTimeoutException {
		try {
			while (fill(deadline)) {
				// keeps what comes before the close for a failure message
			}
		}
		catch (SocketTimeoutException ex) {
			throw ex;
		}
		catch (IOException ex) {
			// reset by the server: closed too
		}
	}

	/**
	 * The bytes received and not taken as a reply: the start of an unfinished one.
	 * @return a copy of those bytes
	 */
	byte[] unfinished() {
		return Arrays.copyOfRange(this.received, this.start, this.end);
	}

	InetSocketAddress address() {
		return (InetSocketAddress) this.socket.getRemoteSocketAddress();
	}

	private boolean fill(long deadline) throws IOException {
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			throw new SocketTimeoutException();
		}
		this.socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
		makeRoom();
		int read = this.input.read(this.received, this.end, this.received.length - this.end);
		if (read < 0) {
			return false;
		}
		this.end += read;
		return true;
	}

	private void makeRoom() {
		if (this.start > 0) {
			System.arraycopy(this.received, this.start, this.received, 0, this.end - this.start);
			this.end -= this.start;
			this.start = 0;
		}
		if (this.end == this.received.length) {
			this.received = Arrays.copyOf(this.received, this.received.length * 2);
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
