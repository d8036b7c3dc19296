package io.swooletask.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A TLS line client over a real socket that trusts the test's self-signed certificate.
 */
public final class TlsTestClient implements AutoCloseable {

	private final SSLSocket socket;

	private final BufferedReader reader;

	public TlsTestClient(int port) {
		this.socket = socket(port, "TLS");
		try {
			this.reader = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Connects a TLS socket that trusts any certificate, with a read timeout of 10 s, and
	 * completes its handshake.
	 * @param port the server's port on 127.0.0.1
	 * @param protocol the {@link SSLContext} protocol, such as {@code TLS} or
	 * {@code TLSv1.3}
	 * @return the socket
	 */
	public static SSLSocket socket(int port, String protocol) {
		try {
			SSLContext context = SSLContext.getInstance(protocol);
			context.init(null, new TrustManager[] { new TrustingManager() }, null);
			SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
			socket.setSoTimeout(10_000);
			socket.startHandshake();
			return socket;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String request(String line) {
		try {
			this.socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
			this.socket.getOutputStream().flush();
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

	private static final class TrustingManager implements X509TrustManager {

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
