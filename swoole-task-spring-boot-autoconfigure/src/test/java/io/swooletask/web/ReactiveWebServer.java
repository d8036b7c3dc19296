package io.swooletask.web;

import io.swooletask.autoconfigure.SwooleServerAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Configuration;

/**
 * What a WebFlux application on Reactor Netty HTTP has, and the starter: the
 * auto-configurations the web tests import, with their lifecycle phases as in an
 * application.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({ LifecycleAutoConfiguration.class, NettyReactiveWebServerAutoConfiguration.class,
		HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class, CodecsAutoConfiguration.class,
		SwooleServerAutoConfiguration.class })
class ReactiveWebServer {

}
