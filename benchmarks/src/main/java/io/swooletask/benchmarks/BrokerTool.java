package io.swooletask.benchmarks;

import java.util.ArrayList;
import java.util.List;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

/**
 * What {@code scale-out.sh} asks of the RabbitMQ broker, with the AMQP client on the
 * module's class path:
 * <ul>
 * <li>{@code version}: prints {@code RabbitMQ <version>}, and fails if the broker cannot
 * be reached;</li>
 * <li>{@code delete <task queue>... [--queue <queue>]...}: deletes what the task
 * transport declared for each task queue {@code q} (the queue, {@code q.dead} and the
 * exchange {@code q.dlx}) and the extra queues named (the nodes' reply queues), whatever
 * is left in them. Missing ones are skipped.</li>
 * </ul>
 * Options before the command:
 * {@code --host 127.0.0.1 --port 5672 --user guest --password guest}. A host other than
 * 127.0.0.1 or localhost is refused.
 */
public final class BrokerTool {

	private BrokerTool() {
	}

	public static void main(String[] args) throws Exception {
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost("127.0.0.1");
		factory.setPort(5672);
		factory.setUsername("guest");
		factory.setPassword("guest");
		factory.setConnectionTimeout(5000);
		int i = 0;
		for (; i + 1 < args.length && args[i].startsWith("--"); i += 2) {
			switch (args[i]) {
				case "--host" -> factory.setHost(args[i + 1]);
				case "--port" -> factory.setPort(Integer.parseInt(args[i + 1]));
				case "--user" -> factory.setUsername(args[i + 1]);
				case "--password" -> factory.setPassword(args[i + 1]);
				default -> usage("Unknown option " + args[i]);
			}
		}
		if (!factory.getHost().equals("127.0.0.1") && !factory.getHost().equals("localhost")) {
			usage("Only a broker on 127.0.0.1 is used");
		}
		if (i >= args.length) {
			usage("No command");
		}
		String command = args[i++];
		List<String> taskQueues = new ArrayList<>();
		List<String> queues = new ArrayList<>();
		for (; i < args.length; i++) {
			if (args[i].equals("--queue") && i + 1 < args.length) {
				queues.add(args[++i]);
			}
			else {
				taskQueues.add(args[i]);
			}
		}
		try (Connection connection = factory.newConnection("swoole-benchmarks")) {
			switch (command) {
				case "version" -> System.out.println("RabbitMQ " + connection.getServerProperties().get("version"));
				case "delete" -> {
					for (String taskQueue : taskQueues) {
						deleteQueue(connection, taskQueue);
						deleteQueue(connection, taskQueue + ".dead");
						deleteExchange(connection, taskQueue + ".dlx");
					}
					for (String queue : queues) {
						deleteQueue(connection, queue);
					}
				}
				default -> usage("Unknown command " + command);
			}
		}
	}

	private static void deleteQueue(Connection connection, String queue) {
		try (Channel channel = connection.createChannel()) {
			channel.queueDelete(queue);
			System.out.println("deleted queue " + queue);
		}
		catch (Exception ex) {
			System.out.println("cannot delete queue " + queue + ": " + ex);
		}
	}

	private static void deleteExchange(Connection connection, String exchange) {
		try (Channel channel = connection.createChannel()) {
			channel.exchangeDelete(exchange);
			System.out.println("deleted exchange " + exchange);
		}
		catch (Exception ex) {
			System.out.println("cannot delete exchange " + exchange + ": " + ex);
		}
	}

	private static void usage(String problem) {
		System.err.println(problem + "\nUsage: BrokerTool [--host 127.0.0.1] [--port 5672] [--user guest]"
				+ " [--password guest] version | delete <task queue>... [--queue <queue>]...");
		System.exit(2);
	}

}
