package io.swooletask.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntSupplier;

import io.swooletask.server.PackageLengthType;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.Assert;

/**
 * A client for testing a Swoole server application over a real connection, as
 * {@code WebTestClient} is for a web application. It frames each message as the server
 * expects it and cuts the server's replies out of the byte stream with the same framing:
 * a delimiter ({@code open-eof-split} with {@code package-eof}), a length header
 * ({@code open-length-check} with {@code package-length-type},
 * {@code package-length-offset} and {@code package-body-offset}), or none. Replies are
 * expected framed as the requests are, as a handler that answers with
 * {@code connection.send(result + "\n")} on a line protocol does.
 * <p>
 * In a {@code @SpringBootTest} with this module on the class path,
 * {@code @Autowired SwooleTestClient} gives a client set up from the application's own
 * {@code swoole.server.*} settings, TLS through {@code swoole.server.ssl.bundle}
 * included; each injection point gets a client of its own, closed after each test.
 * Without Spring, {@link #builder()} sets one up.
 * <p>
 * The client connects when it is first used, and again when it is used after
 * {@link #close()}. Every wait for the server ends after a timeout,
 * {@link #DEFAULT_TIMEOUT} unless {@linkplain #withTimeout(Duration) set}, with an
 * {@link AssertionError} that says what was expected and what came. Strings are UTF-8. A
 * client is for one test thread at a time.
 * <p>
 * It runs over a plain blocking {@link java.net.Socket} ({@link javax.net.ssl.SSLSocket}
 * with TLS), not over Netty: a test waits for each reply anyway, a blocking socket's read
 * timeout is the test's timeout, and a client built on the server's own I/O stack could
 * share its mistakes instead of finding them.
 */
public final class SwooleTestClient implements AutoCloseable {

	/** How long a client waits for the server unless told otherwise: five seconds. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	private final String host;

	private final IntSupplier port;

	private final MessageFraming framing;

	private final @Nullable SslBundle ssl;

	private final Function<String, SslBundle> sslBundles;

	private @Nullable SslBundle clientCertificate;

	private Duration timeout;

	private @Nullable ClientConnection connection;

	private SwooleTestClient(Builder builder, IntSupplier port) {
		this.host = builder.host;
		this.port = port;
		this.framing = builder.framing;
		this.ssl = builder.ssl;
		this.sslBundles = builder.sslBundles;
		this.clientCertificate = builder.clientCertificate;
		this.timeout = builder.timeout;
	}

	/**
	 * A builder for a client without Spring: give it the port, the framing and, for TLS,
	 * the server's SSL bundle.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Sets how long each later wait for the server may take: for a connection, a reply,
	 * the replies of {@link #requestAll(List)} together, or a close.
	 * @param timeout the timeout, positive
	 * @return this client
	 */
	public SwooleTestClient withTimeout(Duration timeout) {
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "The timeout must be positive");
		this.timeout = timeout;
		return this;
	}

	/**
	 * Presents the key and certificate of the named SSL bundle
	 * ({@code spring.ssl.bundle.*}) in the TLS handshake, for a server that asks for
	 * client certificates (mutual TLS). Call it before the client connects.
	 * @param bundleName the name of the client's SSL bundle
	 * @return this client
	 * @throws IllegalStateException if the server is not secured with TLS, the client is
	 * connected, or it was built without a Spring context to look the bundle up in
	 */
	public SwooleTestClient withClientCertificate(String bundleName) {
		Assert.state(this.ssl != null, "A client certificate needs TLS, and the server has no SSL bundle");
		Assert.state(this.connection == null,
				"The client is connected: choose its certificate before it first sends, or after close()");
		this.clientCertificate = this.sslBundles.apply(bundleName);
		return this;
	}

	/**
	 * Connects now, instead of on first use; does nothing if connected.
	 * @return this client
	 * @throws UncheckedIOException if the connection or its TLS handshake fails
	 */
	public SwooleTestClient connect() {
		connection();
		return this;
	}

	/**
	 * Sends a message, framed.
	 * @param message the message, sent as UTF-8
	 * @return this client
	 * @throws UncheckedIOException if the connection fails
	 */
	public SwooleTestClient send(String message) {
		return send(message.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends a message, framed.
	 * @param message the message
	 * @return this client
	 * @throws UncheckedIOException if the connection fails
	 */
	public SwooleTestClient send(byte[] message) {
		write(this.framing.frame(message));
		return this;
	}

	/**
	 * Waits for the next reply.
	 * @return the reply, without its delimiter or header, as UTF-8 text
	 * @throws AssertionError if no whole reply comes within the timeout, or the
	 * connection ends first
	 */
	public String receive() {
		return text(receiveBytes());
	}

	/**
	 * Waits for the next reply.
	 * @return the reply, without its delimiter or header
	 * @throws AssertionError if no whole reply comes within the timeout, or the
	 * connection ends first
	 */
	public byte[] receiveBytes() {
		return receive(1).get(0);
	}

	/**
	 * Sends a message and waits for the next reply.
	 * @param message the message, sent as UTF-8
	 * @return the reply, as UTF-8 text
	 * @throws AssertionError if no whole reply comes within the timeout, or the
	 * connection ends first
	 */
	public String request(String message) {
		return send(message).receive();
	}

	/**
	 * Sends the messages in one write, pipelined, without waiting between them, and waits
	 * for as many replies, which may come in any order.
	 * @param messages the messages, sent as UTF-8
	 * @return the replies, in the order they came, as UTF-8 text
	 * @throws AssertionError if not all replies come within the timeout, or the
	 * connection ends first; its message lists those that came
	 */
	public List<String> requestAll(List<String> messages) {
		ByteArrayOutputStream frames = new ByteArrayOutputStream();
		for (String message : messages) {
			frames.writeBytes(this.framing.frame(message.getBytes(StandardCharsets.UTF_8)));
		}
		write(frames.toByteArray());
		return receive(messages.size()).stream().map(SwooleTestClient::text).toList();
	}

	/**
	 * Waits until the server closes the connection; what it sends before is read and
	 * dropped, so {@link #receive()} first what the test should check. The client is then
	 * closed too, and connects again when used.
	 * @throws AssertionError if the connection is still open after the timeout
	 */
	public void expectClosed() {
		ClientConnection connection = connection();
		try {
			connection.awaitClose(deadline());
		}
		catch (SocketTimeoutException ex) {
			byte[] unread = connection.unfinished();
			throw new AssertionError("Expected " + describe(connection) + " to close the connection within "
					+ Printable.duration(this.timeout) + ", but it is still open"
					+ ((unread.length > 0) ? "; it sent " + Printable.bytes(unread) : ""));
		}
		close();
	}

	/**
	 * Closes the connection, if there is one; a later call connects again.
	 */
	@Override
	public void close() {
		ClientConnection connection = this.connection;
		this.connection = null;
		if (connection != null) {
			try {
				connection.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	private List<byte[]> receive(int count) {
		ClientConnection connection = connection();
		long deadline = deadline();
		List<byte[]> replies = new ArrayList<>(count);
		try {
			while (replies.size() < count) {
				byte[] reply = connection.read(deadline);
				if (reply == null) {
					close();
					throw new AssertionError(expected(count, connection) + ", but the server closed the connection; "
							+ received(replies, connection));
				}
				replies.add(reply);
			}
			return replies;
		}
		catch (SocketTimeoutException ex) {
			throw new AssertionError(expected(count, connection) + " within " + Printable.duration(this.timeout) + ", "
					+ received(replies, connection));
		}
		catch (IOException ex) {
			close();
			throw new AssertionError(expected(count, connection) + ", but the connection failed (" + ex + "); "
					+ received(replies, connection), ex);
		}
	}

	private String expected(int count, ClientConnection connection) {
		return "Expected " + ((count == 1) ? "a reply" : count + " replies") + " from " + describe(connection);
	}

	private static String received(List<byte[]> replies, ClientConnection connection) {
		String received = replies.isEmpty() ? "got none" : "got " + replies.size() + ": " + Printable.replies(replies);
		byte[] unfinished = connection.unfinished();
		if (unfinished.length > 0) {
			received += ", and " + unfinished.length + " bytes of an unfinished one: " + Printable.bytes(unfinished);
		}
		return received;
	}

	private String describe(ClientConnection connection) {
		InetSocketAddress address = connection.address();
		return address.getAddress().getHostAddress() + ":" + address.getPort() + " (" + this.framing
				+ ((this.ssl != null) ? ", TLS" : "") + ")";
	}

	private void write(byte[] bytes) {
		ClientConnection connection = connection();
		try {
			connection.write(bytes);
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException("Cannot send to " + describe(connection), ex);
		}
	}

	private ClientConnection connection() {
		ClientConnection connection = this.connection;
		if (connection == null) {
			connection = open();
			this.connection = connection;
		}
		return connection;
	}

	private ClientConnection open() {
		InetSocketAddress address = address();
		ClientTls tls = (this.ssl != null) ? new ClientTls(this.ssl, this.clientCertificate) : null;
		try {
			return ClientConnection.open(address, tls, this.framing, this.timeout);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot connect to " + address.getAddress().getHostAddress() + ":"
					+ address.getPort() + ((tls != null) ? " with " + tls : ""), ex);
		}
	}

	private InetSocketAddress address() {
		try {
			InetAddress address = InetAddress.getByName(this.host);
			return new InetSocketAddress(address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : address,
					this.port.getAsInt());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot resolve " + this.host, ex);
		}
	}

	private long deadline() {
		return System.nanoTime() + this.timeout.toNanos();
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	/**
	 * Sets up a {@link SwooleTestClient} without Spring. Unless told otherwise, it
	 * connects to {@code 127.0.0.1} without framing and without TLS, and waits
	 * {@link SwooleTestClient#DEFAULT_TIMEOUT}.
	 */
	public static final class Builder {

		private String host = "127.0.0.1";

		private @Nullable IntSupplier port;

		private MessageFraming framing = MessageFraming.raw();

		private @Nullable SslBundle ssl;

		private @Nullable SslBundle clientCertificate;

		private Function<String, SslBundle> sslBundles = (name) -> {
			throw new IllegalStateException("No SSL bundles to look '" + name + "' up in: the client was built"
					+ " without a Spring context; give the bundle to its builder's clientCertificate(SslBundle)");
		};

		private Duration timeout = DEFAULT_TIMEOUT;

		private Builder() {
		}

		/**
		 * The server's host, as in {@code swoole.server.host}; a wildcard address means
		 * the loopback one.
		 * @param host the host name or address
		 * @return this builder
		 */
		public Builder host(String host) {
			this.host = host;
			return this;
		}

		/**
		 * The server's port: the bound one, for a server started with port 0.
		 * @param port the port
		 * @return this builder
		 */
		public Builder port(int port) {
			Assert.isTrue(port > 0 && port < 65536, () -> "Port " + port + " is not a TCP port");
			return port(() -> port);
		}

		Builder port(IntSupplier port) {
			this.port = port;
			return this;
		}

		/**
		 * Frames each message as one line, ended by {@code "\n"}: {@code open-eof-split}
		 * with {@code package-eof: "\n"}.
		 * @return this builder
		 */
		public Builder lineFraming() {
			return eofFraming("\n");
		}

		/**
		 * Frames each message with a delimiter at its end: {@code open-eof-split} (or
		 * {@code open-eof-check}) with that {@code package-eof}.
		 * @param packageEof the delimiter, sent as UTF-8
		 * @return this builder
		 */
		public Builder eofFraming(String packageEof) {
			return framing(MessageFraming.eof(packageEof.getBytes(StandardCharsets.UTF_8)));
		}

		/**
		 * Frames each message behind a length header: {@code open-length-check} with
		 * those settings.
		 * @param packageLengthType the type of the length field
		 * @param packageLengthOffset where the length field starts
		 * @param packageBodyOffset where the message starts, or 0 for a length that
		 * counts the whole frame
		 * @return this builder
		 */
		public Builder lengthFraming(PackageLengthType packageLengthType, int packageLengthOffset,
				int packageBodyOffset) {
			return framing(MessageFraming.length(packageLengthType, packageLengthOffset, packageBodyOffset));
		}

		Builder framing(MessageFraming framing) {
			this.framing = framing;
			return this;
		}

		/**
		 * Speaks TLS to a server secured with this SSL bundle, trusting the certificates
		 * of its key store and its trust store, with its protocol, enabled protocols and
		 * ciphers. Host names are not checked: the test knows which server it talks to.
		 * @param serverBundle the server's SSL bundle, as named by
		 * {@code swoole.server.ssl.bundle}
		 * @return this builder
		 */
		public Builder ssl(SslBundle serverBundle) {
			this.ssl = serverBundle;
			return this;
		}

		/**
		 * Presents the key and certificate of this SSL bundle in the TLS handshake, for a
		 * server that asks for client certificates (mutual TLS); only with
		 * {@link #ssl(SslBundle)}.
		 * @param clientBundle the client's SSL bundle
		 * @return this builder
		 */
		public Builder clientCertificate(SslBundle clientBundle) {
			this.clientCertificate = clientBundle;
			return this;
		}

		Builder sslBundles(Function<String, SslBundle> sslBundles) {
			this.sslBundles = sslBundles;
			return this;
		}

		/**
		 * How long each wait for the server may take.
		 * @param timeout the timeout, positive
		 * @return this builder
		 */
		public Builder timeout(Duration timeout) {
			Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "The timeout must be positive");
			this.timeout = timeout;
			return this;
		}

		/**
		 * A client with these settings; it connects when first used.
		 * @return the client
		 * @throws IllegalStateException if no port was given, or a client certificate
		 * without TLS
		 */
		public SwooleTestClient build() {
			IntSupplier port = this.port;
			Assert.state(port != null, "No port: give the server's port to port(int)");
			Assert.state(this.clientCertificate == null || this.ssl != null,
					"A client certificate needs TLS: give the server's SSL bundle to ssl(SslBundle)");
			return new SwooleTestClient(this, port);
		}

	}

}
