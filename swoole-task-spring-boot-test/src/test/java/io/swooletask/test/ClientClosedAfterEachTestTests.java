package io.swooletask.test;

import io.swooletask.server.SwooleServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One client injected into a test instance that lives for both tests: the first leaves
 * its connection open, which the test kit closes after it, and the second uses the client
 * again.
 */
@SpringBootTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientClosedAfterEachTestTests {

	@Autowired
	SwooleTestClient client;

	@Autowired
	SwooleServer server;

	@Test
	@Order(1)
	void leavesItsConnectionOpen() {
		assertThat(this.client.request("first")).isEqualTo("first -> OK");
		assertThat(this.server.connections()).hasSize(1);
	}

	@Test
	@Order(2)
	void findsItClosedAndConnectsAgain() {
		await().until(() -> this.server.connections().isEmpty());
		assertThat(this.client.request("second")).isEqualTo("second -> OK");
	}

}
