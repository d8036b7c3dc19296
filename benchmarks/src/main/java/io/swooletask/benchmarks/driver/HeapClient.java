package io.swooletask.benchmarks.driver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.swooletask.benchmarks.protocol.ReplyForm;
import io.swooletask.benchmarks.protocol.ReplyForm.Reply;

/**
 * Asks a benchmark server for its heap with a {@code G} request on a connection of its
 * own.
 */
public final class HeapClient {

	private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

	private static final int REPLY_TIMEOUT_MILLIS = 60_000;

	private HeapClient() {
	}

	/**
	 * Makes the server collect garbage and report the heap it still uses.
	 * @param host the server's address
	 * @param port the server's port
	 * @return the heap used after a full collection, in bytes
	 * @throws IOException if the server does not answer {@code HEAP <bytes>} in time
	 */
	public static long usedAfterGc(String host, int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
			socket.getOutputStream().write("G\n".getBytes(StandardCharsets.US_ASCII));
			String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
			Reply reply = (line != null) ? ReplyForm.parse(line) : null;
			if (reply == null || reply.form() != ReplyForm.HEAP) {
				throw new IOException("Expected HEAP <bytes> from " + host + ":" + port + ", got " + line);
			}
			return Long.parseLong(reply.payload());
		}
	}

}
