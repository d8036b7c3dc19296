package io.swooletask.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of the {@code swoole.task.delivery} observation: a task from the broker,
 * delivered to a task worker of this node. Its carrier is the headers of the task's
 * message, from which a tracing handler continues the trace of the node that sent it.
 */
public class SwooleTaskDeliveryContext extends ReceiverContext<Map<String, @Nullable Object>> {

	public SwooleTaskDeliveryContext(Map<String, @Nullable Object> headers) {
		super((carrier, key) -> {
			Object value = carrier.get(key);
			return (value != null) ? value.toString() : null;
		}, Kind.CONSUMER);
		setCarrier(headers);
		setRemoteServiceName("rabbitmq");
	}

}
