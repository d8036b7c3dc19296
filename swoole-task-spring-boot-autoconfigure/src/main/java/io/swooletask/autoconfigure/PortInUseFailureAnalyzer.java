package io.swooletask.autoconfigure;

import io.swooletask.server.PortInUseException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a Swoole server port that is already in use, naming the port and the property
 * that sets it.
 */
class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<PortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, PortInUseException cause) {
		return new FailureAnalysis(
				"The Swoole server failed to start: port " + cause.getPort() + " on " + cause.getHost()
						+ " is already in use.",
				"Stop the process that is listening on port " + cause.getPort()
						+ ", or set swoole.server.port to another port (0 picks a free one).",
				cause);
	}

}
