package io.swooletask.torture;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;
import io.swooletask.server.Connection;
import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.Task;
import io.swooletask.server.TaskErrorHandler;
import io.swooletask.server.TaskRejectedException;

/**
 * The server side of the torture test: answers each {@link Job} with one line, through a
 * task, a callback, a future, the error handler, or at once. Callback and future tasks
 * are dispatched from threads of its own, not event loops.
 */
public class TortureHandlers implements TaskErrorHandler {

	private final CompletionLedger ledger;

	private final ExecutorService callers;

	private final Set<String> received = ConcurrentHashMap.newKeySet();

	private final Set<String> replied = ConcurrentHashMap.newKeySet();

	private final Set<String> refused = ConcurrentHashMap.newKeySet();

	/**
	 * When each connection last had a request reach {@code @OnReceive}, by connection id.
	 */
	private final Map<Long, Long> lastReceivedNanos = new ConcurrentHashMap<>();

	/** How long each connection had had no request when it closed, by client number. */
	private final Map<Integer, Long> quietAtCloseNanos = new ConcurrentHashMap<>();

	/** Which client each connection belongs to, by connection id. */
	private final Map<Long, Integer> clients = new ConcurrentHashMap<>();

	private volatile SwooleServer server;

	/**
	 * Creates the handlers of one round.
	 * @param ledger where callback and future tasks are recorded
	 */
	public TortureHandlers(CompletionLedger ledger) {
		this.ledger = ledger;
		AtomicInteger threads = new AtomicInteger();
		this.callers = Executors.newFixedThreadPool(3, (runnable) -> {
			Thread thread = new Thread(runnable, "torture-caller-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	@OnReceive
	void receive(SwooleServer server, Connection connection, String data) {
		this.server = server;
		Job job = Job.parse(data, connection.id());
		this.received.add(job.id());
		this.clients.putIfAbsent(connection.id(), Integer.parseInt(job.id(), 0, job.id().indexOf('#'), 10));
		this.lastReceivedNanos.put(connection.id(), System.nanoTime());
		switch (job.op()) {
			case DIRECT -> sent(job, connection.send(job.reply("ok")));
			case CALLBACK, ASYNC -> this.callers.execute(() -> dispatchOffLoop(server, job));
			default -> dispatch(server, connection, job);
		}
	}

	private void dispatch(SwooleServer server, Connection connection, Job job) {
		try {
			if (job.op() == Op.TARGET) {
				server.task(job, job.arg());
			}
			else {
				server.task(job);
			}
		}
		catch (TaskRejectedException | ServerShutdownException ex) {
			sent(job, connection.send(job.reply("rejected")));
		}
	}

	private void dispatchOffLoop(SwooleServer server, Job job) {
		try {
			if (job.op() == Op.CALLBACK) {
				this.ledger.callback(server.task(job, (Task task, String reply) -> {
					this.ledger.outcome(task.id());
					sent(job, server.send(job.fd(), reply));
				}));
			}
			else {
				CompletableFuture<String> future = server.taskAsync(job);
				this.ledger.future(future);
				future.whenComplete(
						(reply, ex) -> sent(job, server.send(job.fd(), (ex != null) ? job.reply("failed") : reply)));
			}
		}
		catch (TaskRejectedException | ServerShutdownException ex) {
			sent(job, server.send(job.fd(), job.reply("rejected")));
		}
	}

	@OnTask
	String run(Job job) throws TortureFailure {
		switch (job.op()) {
			case THROW -> throw new TortureFailure(job.id());
			case ERROR -> throw new TortureError(job.id());
			case BLOCK -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(job.arg()));
			default -> {
			}
		}
		return job.reply("ok");
	}

	@OnFinish
	void finish(Connection connection, String reply) {
		String id = reply.substring(0, reply.indexOf(' '));
		(connection.send(reply) ? this.replied : this.refused).add(id);
	}

	@OnClose
	void close(Connection connection) {
		Integer client = this.clients.get(connection.id());
		Long lastReceived = this.lastReceivedNanos.get(connection.id());
		if (client != null && lastReceived != null) {
			this.quietAtCloseNanos.put(client, System.nanoTime() - lastReceived);
		}
	}

	@Override
	public void onError(Task task, Connection connection, Throwable exception) {
		this.ledger.outcome(task.id());
		Job job = (Job) task.data();
		sent(job, this.server.send(job.fd(), job.reply("failed")));
	}

	private void sent(Job job, boolean sent) {
		(sent ? this.replied : this.refused).add(job.id());
	}

	/**
	 * Whether a request reached {@code @OnReceive}.
	 * @param id the request's id, {@code <client>#<sequence>}
	 * @return whether it was received
	 */
	public boolean received(String id) {
		return this.received.contains(id);
	}

	/**
	 * Whether the server took the reply to a request for sending.
	 * @param id the request's id, {@code <client>#<sequence>}
	 * @return whether a send of its reply returned {@code true}
	 */
	public boolean replied(String id) {
		return this.replied.contains(id);
	}

	/**
	 * Whether the server tried to send the reply to a request and could not.
	 * @param id the request's id, {@code <client>#<sequence>}
	 * @return whether a send of its reply returned {@code false}
	 */
	public boolean refused(String id) {
		return this.refused.contains(id);
	}

	/**
	 * How long a client's connection had had no request reach {@code @OnReceive} when the
	 * server closed it, measured on the server.
	 * @param client the client's number
	 * @return the time in nanoseconds, or {@code null} if it did not close or never had a
	 * request
	 */
	public Long quietAtCloseNanos(int client) {
		return this.quietAtCloseNanos.get(client);
	}

	/**
	 * Stops the threads that dispatch off the event loops, once the server is stopped.
	 * @return whether they ended in time
	 */
	public boolean stop() throws InterruptedException {
		this.callers.shutdown();
		return this.callers.awaitTermination(10, TimeUnit.SECONDS);
	}

}
