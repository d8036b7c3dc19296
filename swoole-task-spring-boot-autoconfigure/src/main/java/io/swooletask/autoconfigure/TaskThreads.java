package io.swooletask.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.swooletask.task.TaskWorkerSettings.WorkerThreads;

import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

/**
 * Picks the task worker threads from Spring Boot's own switch,
 * {@code spring.threads.virtual.enabled}: virtual threads on Java 21 or later when it is
 * on; platform threads otherwise, saying so once when the switch is on but Java is too
 * old. Either way {@code task-worker-num} bounds how many tasks run at once.
 */
final class TaskThreads {

	private static final Log logger = LogFactory.getLog(TaskThreads.class);

	private TaskThreads() {
	}

	static WorkerThreads forEnvironment(Environment environment) {
		if (Threading.VIRTUAL.isActive(environment)) {
			return WorkerThreads.virtual();
		}
		if (environment.getProperty("spring.threads.virtual.enabled", Boolean.class, false)) {
			logger.info("spring.threads.virtual.enabled is ignored for Swoole task workers on Java "
					+ Runtime.version().feature() + ": virtual threads need Java 21 or later");
		}
		return WorkerThreads.platform();
	}

}
