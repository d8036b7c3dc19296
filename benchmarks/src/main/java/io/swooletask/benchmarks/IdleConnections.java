package io.swooletask.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.swooletask.benchmarks.driver.HeapClient;

/**
 * Measures what idle connections cost a server's heap: the heap after a full collection
 * with no client, then with {@code count} open connections that each did one echo round
 * trip and went idle, then again after they closed. Usage:
 * {@code IdleConnections --port P [--count 10000] [--host 127.0.0.1]}.
 */
public final class IdleConnections {

	private IdleConnections() {
	}

	public static void main(String[] args) throws IOException {
		String host = "127.0.0.1";
		int port = -1;
		int count = 10_000;
		for (int i = 0; i + 1 < args.length; i += 2) {
			switch (args[i]) {
				case "--host" -> host = args[i + 1];
				case "--port" -> port = Integer.parseInt(args[i + 1]);
				case "--count" -> count = Integer.parseInt(args[i + 1]);
				default -> throw new IllegalArgumentException("Unknown option " + args[i]);
			}
		}
		if (port < 0) {
			throw new IllegalArgumentException("--port is required");
		}
		long before = HeapClient.usedAfterGc(host, port);
		List<SocketChannel> connections = new ArrayList<>(count);
		try {
			for (int i = 0; i < count; i++) {
				connections.add(openAndEcho(host, port, i));
			}
			long open = HeapClient.usedAfterGc(host, port);
			closeAll(connections);
			long after = HeapClient.usedAfterGc(host, port);
			double perConnection = (double) (open - before) / count;
			System.out.printf(
					"connections: %d%nheap before: %d B%nheap with them open: %d B%n"
							+ "heap after they closed: %d B%nper idle connection: %.0f B (%.2f KiB)%n",
					count, before, open, after, perConnection, perConnection / 1024);
			System.out.printf("RESULT {\"connections\":%d,\"heapBefore\":%d,\"heapOpen\":%d,\"heapAfter\":%d,"
					+ "\"bytesPerConnection\":%.0f}%n", count, before, open, after, perConnection);
		}
		finally {
			closeAll(connections);
		}
	}

	private static SocketChannel openAndEcho(String host, int port, int i) throws IOException {
		SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
		String payload = "idle" + i;
		channel.write(ByteBuffer.wrap(("E " + payload + "\n").getBytes(StandardCharsets.US_ASCII)));
		ByteBuffer reply = ByteBuffer.allocate(payload.length() + 1);
		while (reply.hasRemaining()) {
			if (channel.read(reply) < 0) {
				throw new IOException("Connection " + i + " closed before its echo");
			}
		}
		return channel;
	}

	private static void closeAll(List<SocketChannel> connections) throws IOException {
		for (SocketChannel channel : connections) {
			channel.close();
		}
		connections.clear();
	}

}
