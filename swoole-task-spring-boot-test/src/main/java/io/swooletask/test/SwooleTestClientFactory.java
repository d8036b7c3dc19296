package io.swooletask.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import io.swooletask.autoconfigure.SwooleServerProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.util.Assert;

/**
 * Makes a new {@link SwooleTestClient} for each injection point, set up from the
 * application's {@link SwooleServerProperties}: its host, its framing and its SSL bundle,
 * and the port the server publishes as {@code local.swoole.server.port}, read when the
 * client connects. It closes the clients it made after each test
 * ({@link SwooleTestClientTestExecutionListener}) and with the context.
 */
class SwooleTestClientFactory implements FactoryBean<SwooleTestClient>, ApplicationContextAware, DisposableBean {

	private static final String PORT_PROPERTY = "local.swoole.server.port";

	private final Set<SwooleTestClient> clients = Collections
		.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	private @Nullable ApplicationContext context;

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public boolean isSingleton() {
		return false;
	}

	@Override
	public Class<?> getObjectType() {
		return SwooleTestClient.class;
	}

	@Override
	public SwooleTestClient getObject() {
		ApplicationContext context = this.context;
		Assert.state(context != null, "No application context");
		SwooleServerProperties properties = context.getBeanProvider(SwooleServerProperties.class).getIfAvailable();
		Assert.state(properties != null, "No Swoole server to test: SwooleServerProperties is not in the context"
				+ " (swoole.server.enabled=false, or the auto-configuration is left out)");
		SwooleTestClient.Builder builder = SwooleTestClient.builder()
			.host(properties.getHost())
			.port(() -> port(context))
			.framing(framing(properties))
			.sslBundles((name) -> sslBundles(context).getBundle(name));
		String bundle = properties.getSsl().getBundle();
		if (bundle != null) {
			builder.ssl(sslBundles(context).getBundle(bundle));
		}
		SwooleTestClient client = builder.build();
		this.clients.add(client);
		return client;
	}

	private static int port(ApplicationContext context) {
		Integer port = context.getEnvironment().getProperty(PORT_PROPERTY, Integer.class);
		Assert.state(port != null, "The Swoole server has not published " + PORT_PROPERTY
				+ ": it does not listen (swoole.server.listen=false, or no @OnReceive method), or has not started");
		return port;
	}

	private static SslBundles sslBundles(ApplicationContext context) {
		return context.getBean(SslBundles.class);
	}

	static MessageFraming framing(SwooleServerProperties properties) {
		if (properties.isOpenEofSplit() || properties.isOpenEofCheck()) {
			return MessageFraming.eof(properties.getPackageEof().getBytes(StandardCharsets.UTF_8));
		}
		if (properties.isOpenLengthCheck()) {
			return MessageFraming.length(properties.getPackageLengthType(), properties.getPackageLengthOffset(),
					properties.getPackageBodyOffset());
		}
		return MessageFraming.raw();
	}

	/**
	 * Closes the connections of the clients made so far; a client used again connects
	 * again.
	 */
	void closeAll() {
		List<SwooleTestClient> clients;
		synchronized (this.clients) {
			clients = new ArrayList<>(this.clients);
		}
		clients.forEach(SwooleTestClient::close);
	}

	@Override
	public void destroy() {
		closeAll();
	}

}
