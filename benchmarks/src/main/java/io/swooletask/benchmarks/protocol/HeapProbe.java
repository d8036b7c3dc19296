package io.swooletask.benchmarks.protocol;

import java.lang.management.ManagementFactory;

/**
 * Answers a {@code G} request: a full garbage collection, then the heap still in use.
 */
public final class HeapProbe {

	private HeapProbe() {
	}

	/**
	 * Runs {@code System.gc()} and measures the heap, printing {@code HEAP <bytes>} to
	 * standard output.
	 * @return the reply line, {@code HEAP <bytes>}, without a {@code \n}
	 */
	public static String collectAndMeasure() {
		System.gc();
		long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		String reply = ReplyForm.HEAP.format(Long.toString(used));
		System.out.println(reply);
		return reply;
	}

}
