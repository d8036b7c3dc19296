package io.swooletask.test;

import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Closes the connections of the injected {@link SwooleTestClient}s after each test
 * method, so that a test leaves no connection open on a server that the next test of a
 * cached context shares.
 */
class SwooleTestClientTestExecutionListener implements TestExecutionListener {

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(SwooleTestClientFactory.class)
				.forEach(SwooleTestClientFactory::closeAll);
		}
	}

}
