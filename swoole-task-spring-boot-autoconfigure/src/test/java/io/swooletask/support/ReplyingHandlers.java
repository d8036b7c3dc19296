package io.swooletask.support;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnReceive;
import io.swooletask.server.Connection;

/**
 * Answers each message with one line, {@code got <length>:<text>}, the text left out
 * unless it is printable ASCII; records every message and every closed connection.
 */
public class ReplyingHandlers {

	public final Queue<String> received = new ConcurrentLinkedQueue<>();

	public final Queue<Long> closed = new ConcurrentLinkedQueue<>();

	@OnReceive
	void receive(Connection connection, byte[] data) {
		String text = new String(data, StandardCharsets.US_ASCII);
		String shown = text.chars().allMatch((c) -> c >= 0x20 && c < 0x7f) ? text : "";
		this.received.add(shown);
		connection.send("got " + data.length + ":" + shown + "\n");
	}

	@OnClose
	void close(long fd) {
		this.closed.add(fd);
	}

}
