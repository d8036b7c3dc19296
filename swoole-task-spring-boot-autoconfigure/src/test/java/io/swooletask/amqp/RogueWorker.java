package io.swooletask.amqp;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plays a worker node by hand, through a node's {@link RabbitTemplate}: takes a task from
 * the work queue and sends its origin replies of its own making.
 */
final class RogueWorker {

	private final RabbitTemplate template;

	private final String taskQueue;

	RogueWorker(RabbitTemplate template, String taskQueue) {
		this.template = template;
		this.taskQueue = taskQueue;
	}

	/**
	 * Takes the next task from the work queue, waiting for it.
	 */
	Message take() {
		Message task = this.template.receive(this.taskQueue, 30_000);
		assertThat(task).as("a task in " + this.taskQueue).isNotNull();
		return task;
	}

	/**
	 * Sends a reply to a task's origin.
	 * @param task the task, as taken
	 * @param headers the reply's headers, beside the task id
	 * @param body the reply's body
	 */
	void reply(Message task, Map<String, Object> headers, String body) {
		MessageProperties properties = new MessageProperties();
		properties.setHeader(TaskMessages.TASK_ID, task.getMessageProperties().getHeader(TaskMessages.TASK_ID));
		headers.forEach(properties::setHeader);
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		this.template.send("", task.getMessageProperties().getReplyTo(),
				new Message(body.getBytes(StandardCharsets.UTF_8), properties));
	}

	/**
	 * Sends a task's last finish result to its origin.
	 * @param task the task, as taken
	 * @param type the result type it names
	 * @param json the result
	 */
	void result(Message task, String type, String json) {
		reply(task, Map.of(TaskMessages.KIND, TaskMessages.Kind.RESULT.name(), TaskMessages.SEQUENCE, 0,
				TaskMessages.WORKER, 0, TaskMessages.TYPE, type), json);
	}

}
