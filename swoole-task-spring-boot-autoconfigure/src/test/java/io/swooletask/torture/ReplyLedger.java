package io.swooletask.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntPredicate;

/**
 * What one client sent and what came back: how many replies each request had, the replies
 * that answer nothing it sent, and how its connection ended. Safe to read from any
 * thread.
 */
public final class ReplyLedger {

	private final int client;

	private final AtomicIntegerArray answers;

	private final Op[] ops;

	private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();

	private volatile int sent;

	private volatile int localPort = -1;

	private volatile long closedNanos;

	private volatile boolean aborted;

	private volatile boolean halfClosed;

	ReplyLedger(int client, int requests) {
		this.client = client;
		this.answers = new AtomicIntegerArray(requests);
		this.ops = new Op[requests];
	}

	void connected(int localPort) {
		this.localPort = localPort;
	}

	/** About to write request {@code sequence}: it counts as sent from now on. */
	void sending(int sequence, Op op) {
		this.ops[sequence] = op;
		this.sent = sequence + 1;
	}

	/**
	 * Records a reply by the text it starts with, {@code <client>#<sequence> }.
	 */
	void reply(String head) {
		int hash = head.indexOf('#');
		int space = head.indexOf(' ');
		try {
			if (hash > 0 && space > hash && Integer.parseInt(head, 0, hash, 10) == this.client) {
				int sequence = Integer.parseInt(head, hash + 1, space, 10);
				if (sequence < this.sent) {
					this.answers.incrementAndGet(sequence);
					return;
				}
			}
		}
		catch (NumberFormatException ex) {
			// not a reply of this protocol: unexpected
		}
		this.unexpected.add(head);
	}

	void closedByServer() {
		this.closedNanos = System.nanoTime();
	}

	void aborted() {
		this.aborted = true;
	}

	void halfClosed() {
		this.halfClosed = true;
	}

	/** Whether every request sent so far has its reply. */
	boolean answeredAll() {
		for (int i = 0; i < this.sent; i++) {
			if (this.answers.get(i) == 0) {
				return false;
			}
		}
		return true;
	}

	/** The requests sent that have no reply. */
	public List<Integer> unanswered() {
		return withAnswers((count) -> count == 0);
	}

	/** The requests sent that had more than one reply. */
	public List<Integer> duplicated() {
		return withAnswers((count) -> count > 1);
	}

	private List<Integer> withAnswers(IntPredicate test) {
		List<Integer> found = new ArrayList<>();
		for (int i = 0; i < this.sent; i++) {
			if (test.test(this.answers.get(i))) {
				found.add(i);
			}
		}
		return found;
	}

	/**
	 * What a request asked for.
	 * @param sequence the request's number
	 * @return its operation
	 */
	public Op op(int sequence) {
		return this.ops[sequence];
	}

	public Queue<String> unexpected() {
		return this.unexpected;
	}

	public int client() {
		return this.client;
	}

	public int sent() {
		return this.sent;
	}

	/** The client's port, which the server's log lines name; -1 if it never connected. */
	public int localPort() {
		return this.localPort;
	}

	/** When it saw the server close or reset the connection, or 0 if it did not. */
	public long closedNanos() {
		return this.closedNanos;
	}

	/** Whether it reset its own connection, so that its replies are not due. */
	public boolean isAborted() {
		return this.aborted;
	}

	public boolean isHalfClosed() {
		return this.halfClosed;
	}

}
