package io.swooletask.server;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import io.swooletask.annotation.OnClose;
import io.swooletask.annotation.OnConnect;
import io.swooletask.annotation.OnReceive;
import io.swooletask.support.SwooleContextRunner;
import io.swooletask.support.TestClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;
import reactor.netty.tcp.TcpServer;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What reaches the starter's connection handler from the pipeline before it: bytes, bytes
 * in a holder, or something else, which costs only its connection; and the log fields of
 * a connection's first events.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectionMessagesIntegrationTests {

	private final ApplicationContextRunner runner = SwooleContextRunner.create()
		.withPropertyValues("swoole.server.worker-num=1", "swoole.server.task-worker-num=0",
				"swoole.server.open-eof-split=true");

	/**
	 * A customizer's handler that hands on a {@code ByteBufHolder} has its content read
	 * as the message, and the holder released at once.
	 */
	@Test
	void aByteBufHolderIsReadAsItsContentAndReleased() {
		this.runner.withBean(Holders.class).withBean(Echo.class).run((context) -> {
			Holders holders = context.getBean(Holders.class);
			try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
				client.send("HOLD-1\r\n");
				client.send("plain\r\n");
				assertThat(client.readLine()).isEqualTo("HOLD-1 -> OK");
				assertThat(client.readLine()).isEqualTo("plain -> OK");
				assertThat(holders.made).singleElement().satisfies((holder) -> assertThat(holder.refCnt()).isZero());
			}
		});
	}

	/**
	 * A message that is not bytes closes its connection with a log line that names its
	 * type, and is released; other connections carry on.
	 */
	@Test
	void aMessageThatIsNotBytesClosesItsConnection(CapturedOutput output) {
		this.runner.withBean(Holders.class).withBean(Echo.class).run((context) -> {
			Holders holders = context.getBean(Holders.class);
			int port = context.getBean(SwooleServer.class).port();
			try (TestClient other = TestClient.connect(port); TestClient client = TestClient.connect(port)) {
				client.send("WRAP-1\r\n");
				assertThat(client.readLine()).isNull();
				assertThat(holders.wrapped).singleElement()
					.satisfies((wrapped) -> assertThat(wrapped.refCnt()).isZero());
				other.send("still\r\n");
				assertThat(other.readLine()).isEqualTo("still -> OK");
			}
			assertThat(output).contains("passed it a " + Wrapped.class.getName() + " where it reads bytes");
		});
	}

	/**
	 * {@code @OnConnect} runs with the connection's log fields set.
	 */
	@Test
	void onConnectSeesTheLogFields() {
		this.runner.withBean(ConnectLogger.class)
			.withPropertyValues("swoole.server.task-worker-num=0")
			.run((context) -> {
				ConnectLogger logger = context.getBean(ConnectLogger.class);
				try (TestClient client = TestClient.connect(context.getBean(SwooleServer.class).port())) {
					String local = "127.0.0.1:" + client.socket().getLocalPort();
					await().atMost(Duration.ofSeconds(5)).until(() -> !logger.remotes.isEmpty());
					assertThat(logger.remotes.peek()).isEqualTo(local);
				}
			});
	}

	/**
	 * A client that connects and closes without sending has its first event, and its log
	 * fields, at {@code @OnClose}, after the channel closed: they still name it.
	 */
	@Test
	void onCloseOfAConnectionThatNeverSentLogsItsRemoteAddress(CapturedOutput output) {
		this.runner.withBean(CloseLogger.class)
			.withPropertyValues("swoole.server.task-worker-num=0", "logging.structured.format.console=logstash")
			.run((context) -> {
				CloseLogger logger = context.getBean(CloseLogger.class);
				java.net.Socket socket = new java.net.Socket("127.0.0.1", context.getBean(SwooleServer.class).port());
				String local = "127.0.0.1:" + socket.getLocalPort();
				socket.setSoLinger(true, 0);
				socket.close();
				await().atMost(Duration.ofSeconds(5)).until(() -> !logger.remotes.isEmpty());
				assertThat(logger.remotes.peek()).isEqualTo(local);
			});
	}

	/**
	 * Hands on the lines that start with {@code HOLD} as a {@code ByteBufHolder}, and
	 * those that start with {@code WRAP} as a reference-counted object that is not bytes.
	 */
	static class Holders implements SwooleServerCustomizer {

		final Queue<DefaultByteBufHolder> made = new ConcurrentLinkedQueue<>();

		final Queue<Wrapped> wrapped = new ConcurrentLinkedQueue<>();

		@Override
		public TcpServer apply(TcpServer server) {
			return server.doOnChannelInit((observer, channel, address) -> channel.pipeline()
				.addBefore("swoole.ConnectionHandler", "test.holder", new ChannelInboundHandlerAdapter() {

					@Override
					public void channelRead(ChannelHandlerContext ctx, Object msg) {
						String text = (msg instanceof ByteBuf buffer) ? buffer.toString(StandardCharsets.US_ASCII) : "";
						if (text.startsWith("HOLD")) {
							DefaultByteBufHolder holder = new DefaultByteBufHolder((ByteBuf) msg);
							Holders.this.made.add(holder);
							ctx.fireChannelRead(holder);
						}
						else if (text.startsWith("WRAP")) {
							Wrapped wrapped = new Wrapped((ByteBuf) msg);
							Holders.this.wrapped.add(wrapped);
							ctx.fireChannelRead(wrapped);
						}
						else {
							ctx.fireChannelRead(msg);
						}
					}

				}));
		}

	}

	/**
	 * Reference counted, and not bytes.
	 */
	static final class Wrapped extends AbstractReferenceCounted {

		private final ByteBuf content;

		Wrapped(ByteBuf content) {
			this.content = content;
		}

		@Override
		protected void deallocate() {
			this.content.release();
		}

		@Override
		public ReferenceCounted touch(Object hint) {
			return this;
		}

	}

	static class Echo {

		@OnReceive
		void receive(Connection connection, String data) {
			connection.send(data + " -> OK\n");
		}

	}

	static class CloseLogger {

		private static final Log logger = LogFactory.getLog(CloseLogger.class);

		final Queue<String> remotes = new ConcurrentLinkedQueue<>();

		@OnReceive
		void receive(Connection connection, String data) {
		}

		@OnClose
		void close(Connection connection) {
			logger.info("closed");
			String remote = MDC.get("swoole.connection.remote");
			this.remotes.add(String.valueOf(remote));
		}

	}

	static class ConnectLogger {

		final Queue<String> remotes = new ConcurrentLinkedQueue<>();

		@OnConnect
		void connect(Connection connection) {
			this.remotes.add(String.valueOf(MDC.get("swoole.connection.remote")));
		}

		@OnReceive
		void receive(Connection connection, String data) {
		}

	}

}
