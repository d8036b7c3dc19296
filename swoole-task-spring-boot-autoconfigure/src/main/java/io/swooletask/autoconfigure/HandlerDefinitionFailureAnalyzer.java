package io.swooletask.autoconfigure;

import io.swooletask.server.HandlerDefinitionException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a handler method that cannot be used (bad signature, ambiguous handlers, task
 * workers with no {@code @OnTask} method) with what is wrong and how to fix it.
 */
class HandlerDefinitionFailureAnalyzer extends AbstractFailureAnalyzer<HandlerDefinitionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, HandlerDefinitionException cause) {
		return new FailureAnalysis(cause.getDescription(), cause.getAction(), cause);
	}

}
