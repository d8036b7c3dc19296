package io.swooletask.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * The client's side of a TLS connection to a server secured with an SSL bundle. The
 * client trusts every certificate of the bundle, those of its key store (the server's
 * own, which it presents) and those of its trust store: a test knows which server it
 * talks to. Host names are not checked. With a client bundle, the client presents that
 * bundle's key for mutual TLS.
 */
final class ClientTls {

	private final SslBundle server;

	private final @Nullable SslBundle client;

	ClientTls(SslBundle server, @Nullable SslBundle client) {
		this.server = server;
		this.client = client;
	}

	/**
	 * Layers TLS over a connected socket and completes the handshake within the socket's
	 * timeout.
	 * @param socket the connected socket, closed with the result
	 * @return the TLS socket, its handshake done
	 * @throws IOException if the handshake fails
	 */
	SSLSocket handshake(Socket socket) throws IOException {
		SSLContext context = context();
		SSLSocket tls = (SSLSocket) context.getSocketFactory()
			.createSocket(socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
		tls.setUseClientMode(true);
		SslOptions options = this.server.getOptions();
		if (options.getEnabledProtocols() != null) {
			tls.setEnabledProtocols(options.getEnabledProtocols());
		}
		if (options.getCiphers() != null) {
			tls.setEnabledCipherSuites(options.getCiphers());
		}
		tls.startHandshake();
		return tls;
	}

	private SSLContext context() {
		try {
			SSLContext context = SSLContext.getInstance(this.server.getProtocol());
			context.init((this.client != null) ? this.client.getManagers().getKeyManagers() : null,
					trustManagers().getTrustManagers(), null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot build the TLS context of the test client", ex);
		}
	}

	private TrustManagerFactory trustManagers() throws GeneralSecurityException {
		KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
		try {
			trusted.load(null, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		addCertificates(this.server.getStores().getKeyStore(), "key-", trusted);
		addCertificates(this.server.getStores().getTrustStore(), "trust-", trusted);
		if (trusted.size() == 0) {
			throw new IllegalStateException(
					"The server's SSL bundle holds no certificate for the test client to trust: it has neither"
							+ " a key store nor a trust store with one");
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trusted);
		return factory;
	}

	private static void addCertificates(@Nullable KeyStore store, String prefix, KeyStore trusted)
			throws GeneralSecurityException {
		if (store == null) {
			return;
		}
		for (String alias : Collections.list(store.aliases())) {
			Certificate[] chain = store.getCertificateChain(alias);
			Certificate[] certificates = (chain != null) ? chain : new Certificate[] { store.getCertificate(alias) };
			for (int i = 0; i < certificates.length; i++) {
				if (certificates[i] != null) {
					trusted.setCertificateEntry(prefix + alias + "-" + i, certificates[i]);
				}
			}
		}
	}

	@Override
	public String toString() {
		return (this.client != null) ? "TLS with a client certificate" : "TLS";
	}

}
