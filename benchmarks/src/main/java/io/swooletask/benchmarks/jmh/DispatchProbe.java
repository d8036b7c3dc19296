package io.swooletask.benchmarks.jmh;

/**
 * The data of a task that only measures dispatch: its task does nothing and sends no
 * finish.
 */
final class DispatchProbe {

	static final DispatchProbe INSTANCE = new DispatchProbe();

	private DispatchProbe() {
	}

}
