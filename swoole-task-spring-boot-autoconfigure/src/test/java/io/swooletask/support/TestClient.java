package io.swooletask.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking line client over a real socket, for tests. Reads time out, after ten seconds
 * unless told, so a missing reply fails the test instead of hanging it.
 */
public final class TestClient implements AutoCloseable {

	private final Socket socket;

	private final BufferedReader reader;

	private final OutputStream output;

	private TestClient(Socket socket) throws IOException {
		this.socket = socket;
		this.reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		this.output = socket.getOutputStream();
	}

	public static TestClient connect(int port) {
		return connect(port, Duration.ofSeconds(10));
	}

	/**
	 * Connects with a read timeout of its own, for a client whose replies queue up behind
	 * many others.
	 */
	public static TestClient connect(int port, Duration readTimeout) {
		try {
			Socket socket = new Socket();
			socket.setTcpNoDelay(true);
			socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			socket.setSoTimeout((int) readTimeout.toMillis());
			return new TestClient(socket);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public TestClient send(String text) {
		return write(text.getBytes(StandardCharsets.UTF_8));
	}

	public TestClient write(byte[] bytes) {
		try {
			this.output.write(bytes);
			this.output.flush();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The next line, or {@code null} if the server closed the connection.
	 */
	public String readLine() {
		try {
			return this.reader.readLine();
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError("No reply within the read timeout", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether the server closed the connection: reads until end of stream or reset.
	 */
	public boolean isClosedByServer() {
		try {
			while (this.reader.read() != -1) {
				// drain what was sent before the close
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

	public Socket socket() {
		return this.socket;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
