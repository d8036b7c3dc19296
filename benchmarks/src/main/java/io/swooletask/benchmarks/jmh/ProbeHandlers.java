package io.swooletask.benchmarks.jmh;

import io.swooletask.annotation.OnFinish;
import io.swooletask.annotation.OnReceive;
import io.swooletask.annotation.OnTask;

/**
 * The handlers the micro-benchmarks dispatch to: a {@link DispatchProbe} task does
 * nothing and has no finish; a {@link HandoffProbe} task returns its probe, whose finish
 * marks the probe done.
 */
class ProbeHandlers {

	@OnReceive
	void receive(String data) {
		// the benchmarks send nothing; the starter requires an @OnReceive method
	}

	@OnTask
	void dispatched(DispatchProbe probe) {
	}

	@OnTask
	HandoffProbe handoff(HandoffProbe probe) {
		return probe;
	}

	@OnFinish
	void finished(HandoffProbe probe) {
		probe.finished();
	}

}
