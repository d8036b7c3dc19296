package io.swooletask.amqp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A TCP proxy on 127.0.0.1, on a port of its own, in front of the RabbitMQ broker, that
 * can break the connections through it the ways a network does: {@linkplain #cut cut}
 * them (both sides closed), {@linkplain #stall stall} them (nothing forwarded, both
 * sockets left open, until {@linkplain #resume resumed} or cut) and {@linkplain #reset
 * reset} them (both sides closed with an RST). At most {@value #MAX_LINKS} connections at
 * once, each forwarded by two threads of a bounded pool; one over that is closed at once.
 * {@link #close()} closes every socket and ends every thread.
 */
final class BrokerProxy implements AutoCloseable {

	static final int MAX_LINKS = 32;

	private static final int CONNECT_TIMEOUT_MILLIS = 2000;

	private final ServerSocket server;

	private final InetSocketAddress broker;

	private final ExecutorService threads = Executors.newFixedThreadPool(1 + 2 * MAX_LINKS, daemonThreads());

	private final Semaphore slots = new Semaphore(MAX_LINKS);

	private final Set<Link> links = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private volatile boolean closed;

	private BrokerProxy(ServerSocket server, InetSocketAddress broker) {
		this.server = server;
		this.broker = broker;
	}

	/**
	 * Starts a proxy in front of the test broker.
	 * @return the proxy, accepting connections
	 */
	static BrokerProxy start() throws IOException {
		ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		BrokerProxy proxy = new BrokerProxy(server, new InetSocketAddress(RabbitBroker.HOST, RabbitBroker.PORT));
		proxy.threads.execute(proxy::accept);
		return proxy;
	}

	/**
	 * The address to give a node instead of the broker's, as
	 * {@code spring.rabbitmq.addresses}.
	 * @return {@code 127.0.0.1:<port>}
	 */
	String address() {
		return "127.0.0.1:" + this.server.getLocalPort();
	}

	/**
	 * How many connections the proxy accepted so far, those it refused over the limit
	 * included.
	 * @return the count
	 */
	int accepted() {
		return this.accepted.get();
	}

	/**
	 * The connections open through the proxy now.
	 * @return a copy of them
	 */
	List<Link> links() {
		return new ArrayList<>(this.links);
	}

	/**
	 * One of the connections open now, chosen by a random source.
	 * @return the connection, or {@code null} if there is none
	 */
	Link pick(Random random) {
		List<Link> links = links();
		return links.isEmpty() ? null : links.get(random.nextInt(links.size()));
	}

	void cut(Link link) {
		link.close(false);
	}

	void reset(Link link) {
		link.close(true);
	}

	void stall(Link link) {
		link.stall(true);
	}

	void resume(Link link) {
		link.stall(false);
	}

	/**
	 * Resumes every stalled connection.
	 */
	void resumeAll() {
		this.links.forEach(this::resume);
	}

	private void accept() {
		while (!this.closed) {
			Socket client;
			try {
				client = this.server.accept();
			}
			catch (IOException ex) {
				return;
			}
			this.accepted.incrementAndGet();
			if (!this.slots.tryAcquire()) {
				closeQuietly(client, false);
				continue;
			}
			Socket upstream = new Socket();
			try {
				upstream.connect(this.broker, CONNECT_TIMEOUT_MILLIS);
				client.setTcpNoDelay(true);
				upstream.setTcpNoDelay(true);
			}
			catch (IOException ex) {
				closeQuietly(client, false);
				closeQuietly(upstream, false);
				this.slots.release();
				continue;
			}
			Link link = new Link(client, upstream);
			this.links.add(link);
			if (this.closed) {
				link.close(false);
			}
			this.threads.execute(() -> link.forward(client, upstream));
			this.threads.execute(() -> link.forward(upstream, client));
		}
	}

	/**
	 * Closes the listening socket and every connection, and waits for the threads to end.
	 */
	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		closeQuietly(this.server);
		this.links.forEach((link) -> link.close(false));
		this.threads.shutdown();
		if (!this.threads.awaitTermination(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The proxy's threads did not end");
		}
	}

	private static CustomizableThreadFactory daemonThreads() {
		CustomizableThreadFactory threads = new CustomizableThreadFactory("broker-proxy-");
		threads.setDaemon(true);
		return threads;
	}

	private static void closeQuietly(ServerSocket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	private static void closeQuietly(Socket socket, boolean reset) {
		try {
			if (reset && !socket.isClosed()) {
				socket.setSoLinger(true, 0);
			}
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	/**
	 * One connection through the proxy: a client socket and its socket to the broker.
	 */
	final class Link {

		private final Socket client;

		private final Socket upstream;

		private final AtomicBoolean closing = new AtomicBoolean();

		private final AtomicInteger forwarding = new AtomicInteger(2);

		private boolean stalled;

		private Link(Socket client, Socket upstream) {
			this.client = client;
			this.upstream = upstream;
		}

		private void forward(Socket from, Socket to) {
			byte[] buffer = new byte[16 * 1024];
			try {
				InputStream in = from.getInputStream();
				OutputStream out = to.getOutputStream();
				for (int read = in.read(buffer); read != -1; read = in.read(buffer)) {
					if (!awaitFlowing()) {
						break;
					}
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// the other side or a fault closed the connection
			}
			finally {
				close(false);
				if (this.forwarding.decrementAndGet() == 0) {
					BrokerProxy.this.links.remove(this);
					BrokerProxy.this.slots.release();
				}
			}
		}

		/**
		 * Holds the data read while the connection is stalled.
		 * @return whether to forward it; {@code false} once the connection is closing
		 */
		private synchronized boolean awaitFlowing() {
			while (this.stalled && !this.closing.get()) {
				try {
					wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return !this.closing.get();
		}

		private synchronized void stall(boolean stalled) {
			this.stalled = stalled;
			notifyAll();
		}

		private void close(boolean reset) {
			if (this.closing.compareAndSet(false, true)) {
				closeQuietly(this.client, reset);
				closeQuietly(this.upstream, reset);
				synchronized (this) {
					notifyAll();
				}
			}
		}

	}

}
