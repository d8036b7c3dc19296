package io.swooletask.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Checks {@code swoole.server.*} as it is bound, so that a value out of range fails the
 * start-up with Spring Boot's report naming the property, the value and the range, before
 * Netty or the JDK would meet it. The properties validate themselves through it, needing
 * no Bean Validation provider; errors name the properties as a user writes them.
 */
final class SwooleServerPropertiesValidator implements Validator {

	private static final int MAX_PORT = 65_535;

	private static final int MAX_PREFETCH = 65_535;

	/** Each partition costs a queue and, on every node with task workers, a thread. */
	private static final int MAX_PARTITIONS = 256;

	@Override
	public boolean supports(Class<?> type) {
		return SwooleServerProperties.class.isAssignableFrom(type);
	}

	@Override
	@SuppressWarnings("removal")
	public void validate(Object target, Errors errors) {
		SwooleServerProperties properties = (SwooleServerProperties) target;
		range(errors, "port", properties.getPort(), 0, MAX_PORT, "0 (a free port) to 65535");
		atLeast(errors, "worker-num", properties.getWorkerNum(), 1);
		if (properties.getTaskWorkerNum() != null) {
			atLeast(errors, "task-worker-num", properties.getTaskWorkerNum(), 0);
		}
		atLeast(errors, "task-max-request", properties.getTaskMaxRequest(), 0);
		atLeast(errors, "task-max-request-grace", properties.getTaskMaxRequestGrace(), 0);
		atLeast(errors, "task-queue-capacity", properties.getTaskQueueCapacity(), 1);
		notNegative(errors, "task-enqueue-timeout", properties.getTaskEnqueueTimeout());
		atLeast(errors, "package-length-offset", properties.getPackageLengthOffset(), 0);
		atLeast(errors, "package-body-offset", properties.getPackageBodyOffset(), 0);
		positive(errors, "package-max-length", properties.getPackageMaxLength());
		atLeast(errors, "max-conn", properties.getMaxConn(), 1);
		atLeast(errors, "backlog", properties.getBacklog(), 1);
		positive(errors, "heartbeat-idle-time", properties.getHeartbeatIdleTime());
		positive(errors, "heartbeat-check-interval", properties.getHeartbeatCheckInterval());
		positive(errors, "buffer-output-size", properties.getBufferOutputSize());
		notNegative(errors, "shutdown-timeout", properties.getShutdownTimeout());
		Integer prefetch = properties.getAmqp().getPrefetch();
		if (prefetch != null) {
			range(errors, "amqp.prefetch", prefetch, 1, MAX_PREFETCH, "1 to 65535");
		}
		positive(errors, "amqp.reply-timeout", properties.getAmqp().getReplyTimeout());
		positive(errors, "amqp.confirm-timeout", properties.getAmqp().getConfirmTimeout());
		range(errors, "amqp.ordered-partitions", properties.getAmqp().getOrderedPartitions(), 0, MAX_PARTITIONS,
				"0 (taskOrdered refused) to " + MAX_PARTITIONS);
	}

	private static void range(Errors errors, String field, int value, int min, int max, String allowed) {
		if (value < min || value > max) {
			errors.rejectValue(field, "range", "must be " + allowed);
		}
	}

	private static void atLeast(Errors errors, String field, int value, int min) {
		if (value < min) {
			errors.rejectValue(field, "min", "must be at least " + min);
		}
	}

	private static void positive(Errors errors, String field, @Nullable Duration value) {
		if (value != null && (value.isNegative() || value.isZero())) {
			errors.rejectValue(field, "positive", "must be longer than 0");
		}
	}

	private static void notNegative(Errors errors, String field, @Nullable Duration value) {
		if (value != null && value.isNegative()) {
			errors.rejectValue(field, "notNegative", "must not be negative");
		}
	}

	private static void positive(Errors errors, String field, @Nullable DataSize value) {
		if (value != null && value.toBytes() <= 0) {
			errors.rejectValue(field, "positive", "must be at least 1 byte");
		}
	}

}
