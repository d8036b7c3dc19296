package io.swooletask.amqp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import static org.assertj.core.api.Assertions.fail;

/**
 * The RabbitMQ broker that the scale-out tests use: 127.0.0.1:5672 unless the system
 * properties {@code swoole.test.rabbitmq.host} and {@code swoole.test.rabbitmq.port} name
 * another. Without one, the tests are skipped with one line, unless {@code CI} is set,
 * where a missing broker is a failure.
 */
final class RabbitBroker {

	static final String HOST = System.getProperty("swoole.test.rabbitmq.host", "127.0.0.1");

	static final int PORT = Integer.getInteger("swoole.test.rabbitmq.port", 5672);

	private RabbitBroker() {
	}

	static void require() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, PORT), 2000);
		}
		catch (IOException ex) {
			String message = "No RabbitMQ broker on " + HOST + ":" + PORT + " (" + ex.getMessage() + ")";
			if (System.getenv("CI") != null) {
				fail(message + ": the scale-out tests need it under CI; .ci/run starts it");
			}
			Assumptions.abort(message + ": scale-out tests skipped");
		}
	}

	/**
	 * A work queue name of its own for one test, so that tests share nothing on the
	 * broker.
	 */
	static String newTaskQueue() {
		return "swoole.test." + UUID.randomUUID();
	}

	/**
	 * The messages ready in a queue, not delivered to any consumer.
	 */
	static long ready(String queue) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(HOST, PORT);
		try {
			return new RabbitAdmin(connectionFactory).getQueueInfo(queue).getMessageCount();
		}
		finally {
			connectionFactory.destroy();
		}
	}

	/**
	 * Deletes the queues and the exchange named after a work queue.
	 */
	/** The most partitions of the ordered tasks a test declares. */
	private static final int ORDERED_PARTITIONS = 8;

	static void delete(String taskQueue) {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(HOST, PORT);
		try {
			RabbitAdmin admin = new RabbitAdmin(connectionFactory);
			admin.deleteQueue(taskQueue);
			admin.deleteQueue(taskQueue + ".dead");
			admin.deleteExchange(taskQueue + ".dlx");
			admin.deleteExchange(taskQueue + ".broadcast");
			for (int partition = 0; partition < ORDERED_PARTITIONS; partition++) {
				admin.deleteQueue(taskQueue + ".ordered." + partition);
			}
		}
		finally {
			connectionFactory.destroy();
		}
	}

}
