package io.swooletask.autoconfigure;

import java.util.Arrays;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Builds the server's Netty {@link SslContext} from a Spring Boot {@link SslBundle}: its
 * key and trust managers, protocols and ciphers, and whether client certificates are
 * asked for.
 */
final class SslContextFactory {

	private SslContextFactory() {
	}

	static SslContext forServer(SslBundle bundle, SwooleServerProperties.Ssl.ClientAuth clientAuth) {
		SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
			.trustManager(bundle.getManagers().getTrustManagerFactory())
			.clientAuth(switch (clientAuth) {
				case NONE -> ClientAuth.NONE;
				case WANT -> ClientAuth.OPTIONAL;
				case NEED -> ClientAuth.REQUIRE;
			});
		SslOptions options = bundle.getOptions();
		if (options.getCiphers() != null) {
			builder.ciphers(Arrays.asList(options.getCiphers()));
		}
		if (options.getEnabledProtocols() != null) {
			builder.protocols(options.getEnabledProtocols());
		}
		try {
			return builder.build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Cannot build the TLS context of swoole.server.ssl.bundle", ex);
		}
	}

}
