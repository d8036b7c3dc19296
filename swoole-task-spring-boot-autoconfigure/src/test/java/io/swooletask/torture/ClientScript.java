package io.swooletask.torture;

import java.util.Random;

/**
 * What one client of a torture round does, drawn from the round's seed: how many requests
 * it sends and how many it keeps unanswered, how slowly it reads, whether it half-closes
 * or resets its connection and when, whether it connects while the server has paused
 * reading, and which operations it asks for.
 *
 * @param index the client's number in its round
 * @param seed what the client draws its operations from
 * @param requests most requests it sends
 * @param depth most requests it keeps unanswered
 * @param startDelayMillis how long it waits before it connects
 * @param connectWhilePaused whether it waits (a bounded time) for the server to pause
 * reading first
 * @param readDelayMillis how long it waits before it reads at all
 * @param readPauseMillis how long it waits after each chunk it reads, while it sends
 * @param readChunk how many bytes it reads at a time
 * @param halfCloseAt before which request it shuts its output down, or -1
 * @param resetAt in which request it resets the connection, mid-frame, or -1
 * @param weights how often it asks for each {@link Op}, by ordinal
 */
public record ClientScript(int index, long seed, int requests, int depth, int startDelayMillis,
		boolean connectWhilePaused, int readDelayMillis, int readPauseMillis, int readChunk, int halfCloseAt,
		int resetAt, int[] weights) {

	/**
	 * Draws a client's script.
	 * @param random the round's random source
	 * @param index the client's number
	 * @return the script
	 */
	public static ClientScript draw(Random random, int index) {
		int requests = 10 + random.nextInt(300);
		int depth = random.nextInt(4) == 0 ? 100 + random.nextInt(400) : 1 + random.nextInt(32);
		boolean slow = random.nextInt(3) == 0;
		int ending = random.nextInt(6);
		int[] weights = new int[Op.values().length];
		for (int i = 0; i < weights.length; i++) {
			weights[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(10);
		}
		weights[Op.ECHO.ordinal()] += 10;
		int halfCloseAt = (ending == 0) ? 1 + random.nextInt(requests) : -1;
		if (halfCloseAt >= 0) {
			// the server closes a half-closed connection once the tasks dispatched on its
			// loop have ended:
			// work the application hands to threads of its own is not among them
			weights[Op.CALLBACK.ordinal()] = 0;
			weights[Op.ASYNC.ordinal()] = 0;
		}
		return new ClientScript(index, random.nextLong(), requests, depth, random.nextInt(300), random.nextInt(4) == 0,
				slow ? random.nextInt(400) : 0, slow ? 1 + random.nextInt(5) : 0,
				slow ? 512 << random.nextInt(4) : 65_536, halfCloseAt, (ending == 1) ? random.nextInt(requests) : -1,
				weights);
	}

	/**
	 * Draws the next request's operation.
	 * @param random the client's random source
	 * @return the operation
	 */
	Op nextOp(Random random) {
		int total = 0;
		for (int weight : this.weights) {
			total += weight;
		}
		int drawn = random.nextInt(total);
		for (Op op : Op.values()) {
			drawn -= this.weights[op.ordinal()];
			if (drawn < 0) {
				return op;
			}
		}
		return Op.ECHO;
	}

	@Override
	public String toString() {
		return "client " + this.index + " (requests=" + this.requests + " depth=" + this.depth + " startDelay="
				+ this.startDelayMillis + " whilePaused=" + this.connectWhilePaused + " readDelay="
				+ this.readDelayMillis + " readPause=" + this.readPauseMillis + " chunk=" + this.readChunk
				+ " halfCloseAt=" + this.halfCloseAt + " resetAt=" + this.resetAt + ")";
	}

}
