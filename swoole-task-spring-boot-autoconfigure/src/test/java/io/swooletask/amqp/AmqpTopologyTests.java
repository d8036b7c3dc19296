package io.swooletask.amqp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.swooletask.server.TaskQueueType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the topology sends a key's ordered tasks: the same partition on every node, which
 * a key's identity hash would not give.
 */
class AmqpTopologyTests {

	private final AmqpTopology topology = new AmqpTopology("tasks", TaskQueueType.QUORUM, "0".repeat(32), 5,
			Duration.ofMinutes(1), 256, true);

	@Test
	void anEnumKeyGoesWhereItsNameGoesAsEveryJvmAgreesOnIt() {
		assertThat(this.topology.orderedQueue(TimeUnit.SECONDS)).isEqualTo(this.topology.orderedQueue("SECONDS"));
	}

	@Test
	void keysThatPrintAlikeGoToOnePartitionWhateverTheirIdentity() {
		assertThat(IntStream.range(0, 10).mapToObj((i) -> this.topology.orderedQueue(new Room("lobby"))).distinct())
			.hasSize(1);
	}

	@Test
	void aNumberKeyGoesWhereItsDigitsGo() {
		assertThat(this.topology.orderedQueue(42L)).isEqualTo(this.topology.orderedQueue("42"));
	}

	/** A key without its own hashCode. */
	private static final class Room {

		private final String name;

		Room(String name) {
			this.name = name;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
