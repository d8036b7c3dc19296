package io.swooletask.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * What {@code printf 'hello\n' | nc 127.0.0.1 9501} does, over a real socket.
 */
public final class SampleClient implements AutoCloseable {

	private final Socket socket = new Socket();

	private final BufferedReader reader;

	public SampleClient(int port) {
		try {
			this.socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
			this.socket.setSoTimeout(10_000);
			this.reader = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String request(String line) {
		send(line);
		return readLine();
	}

	public void send(String line) {
		try {
			this.socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The next line the server wrote, waiting at most ten seconds for it.
	 */
	public String readLine() {
		try {
			return this.reader.readLine();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
