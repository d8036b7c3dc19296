package io.swooletask.amqp;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import io.swooletask.amqp.ScaleOutApplication.Done;
import io.swooletask.amqp.ScaleOutApplication.Job;
import io.swooletask.server.SwooleServer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's test of the amqp transport against a RabbitMQ of its own, which
 * Testcontainers starts: {@code @ServiceConnection} hands the container's address and
 * credentials to Spring Boot's {@code spring.rabbitmq.*} connection, which the transport
 * uses (docs/scale-out.md). Where no Docker engine answers, the class is skipped,
 * Testcontainers giving the reason; the other broker tests use the broker on 127.0.0.1.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(classes = ScaleOutApplication.class, properties = { "swoole.server.task-transport=amqp",
		"swoole.server.task-worker-num=2", "swoole.server.port=0", "spring.main.banner-mode=off" })
class RabbitServiceConnectionTests {

	@Container
	@ServiceConnection
	static final RabbitMQContainer rabbit = new RabbitMQContainer("rabbitmq:4.1-alpine");

	@Autowired
	private SwooleServer server;

	@Test
	void tasksRunThroughTheContainersBroker() {
		assertThat(this.server.<Done>taskwait(new Job("hello", 0), Duration.ofSeconds(30)))
			.isEqualTo(new Done("hello -> OK", "node"));
	}

}
