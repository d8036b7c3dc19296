package io.swooletask.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;

import io.swooletask.server.Task;

/**
 * The context of the {@code swoole.task.send} observation: a task published to the broker
 * for a worker of any node. Its carrier is the headers of the task's message, into which
 * a tracing handler writes what continues the trace.
 */
public class SwooleTaskSendContext extends SenderContext<Map<String, Object>> {

	private final Task task;

	public SwooleTaskSendContext(Task task, Map<String, Object> headers) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		}, Kind.PRODUCER);
		this.task = task;
		setCarrier(headers);
		setRemoteServiceName("rabbitmq");
	}

	public Task getTask() {
		return this.task;
	}

}
