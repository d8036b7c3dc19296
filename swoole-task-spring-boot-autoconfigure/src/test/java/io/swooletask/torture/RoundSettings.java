package io.swooletask.torture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.swooletask.server.TaskOverflow;

/**
 * The server's settings for one round of the torture test, drawn from the round's seed.
 *
 * @param seed what the settings and the client scripts were drawn from
 * @param capacity {@code task-queue-capacity}
 * @param overflow {@code task-overflow}
 * @param loops {@code worker-num}, the event loops
 * @param taskWorkers {@code task-worker-num}
 * @param heartbeat {@code heartbeat-idle-time}, or {@code null} for none
 * @param bufferOutputSize {@code buffer-output-size} in bytes
 * @param clients how many clients connect
 * @param stopAfter when the server is stopped while clients are busy, or {@code null} to
 * let them end
 */
public record RoundSettings(long seed, int capacity, TaskOverflow overflow, int loops, int taskWorkers,
		Duration heartbeat, int bufferOutputSize, int clients, Duration stopAfter) {

	/** How long clients send new requests. */
	public static final Duration SENDING = Duration.ofMillis(800);

	/** How long {@code task()} off an event loop waits for room in a full queue. */
	static final Duration ENQUEUE_TIMEOUT = Duration.ofMillis(200);

	/**
	 * Draws a round's settings.
	 * @param seed the round's seed
	 * @return the settings
	 */
	public static RoundSettings draw(long seed) {
		Random random = new Random(seed);
		int capacity = 2 + random.nextInt(63);
		TaskOverflow overflow = random.nextInt(3) == 0 ? TaskOverflow.REJECT : TaskOverflow.BACKPRESSURE;
		int loops = 1 + random.nextInt(3);
		int taskWorkers = 1 + random.nextInt(4);
		Duration heartbeat = random.nextInt(3) == 0 ? Duration.ofMillis(300 + random.nextInt(700)) : null;
		int bufferOutputSize = 16_384 << random.nextInt(4);
		int clients = 4 + random.nextInt(13);
		Duration stopAfter = random.nextInt(3) == 0 ? Duration.ofMillis(50 + random.nextInt(900)) : null;
		return new RoundSettings(seed, capacity, overflow, loops, taskWorkers, heartbeat, bufferOutputSize, clients,
				stopAfter);
	}

	/**
	 * The settings as Spring properties, on a free port with length-prefixed frames.
	 * @return the property values
	 */
	public String[] properties() {
		List<String> properties = new ArrayList<>(List.of("swoole.server.port=0",
				"swoole.server.worker-num=" + this.loops, "swoole.server.task-worker-num=" + this.taskWorkers,
				"swoole.server.task-queue-capacity=" + this.capacity,
				"swoole.server.task-overflow=" + this.overflow.name().toLowerCase(),
				"swoole.server.task-enqueue-timeout=" + ENQUEUE_TIMEOUT.toMillis() + "ms",
				"swoole.server.buffer-output-size=" + this.bufferOutputSize + "B",
				"swoole.server.open-length-check=true", "swoole.server.package-length-type=N",
				"swoole.server.shutdown-timeout=10s"));
		if (this.heartbeat != null) {
			properties.add("swoole.server.heartbeat-idle-time=" + this.heartbeat.toMillis() + "ms");
		}
		return properties.toArray(String[]::new);
	}

	/**
	 * How far past its capacity the queue may go: one message's task per event loop under
	 * backpressure, none when it rejects.
	 * @return the most tasks that may be queued at once
	 */
	public int queueBound() {
		return (this.overflow == TaskOverflow.REJECT) ? this.capacity : this.capacity + this.loops;
	}

	@Override
	public String toString() {
		return "seed=" + this.seed + " capacity=" + this.capacity + " overflow=" + this.overflow + " loops="
				+ this.loops + " taskWorkers=" + this.taskWorkers + " heartbeat=" + this.heartbeat
				+ " bufferOutputSize=" + this.bufferOutputSize + " clients=" + this.clients + " stopAfter="
				+ this.stopAfter;
	}

}
