package io.swooletask.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

/**
 * The ceiling of the task transport: the same round trip done with the RabbitMQ Java
 * client alone, nothing else in the way. An origin keeps {@code --in-flight} tasks going:
 * it publishes each, persistent and with confirms tracked asynchronously (a window of
 * 1024), to a work queue of {@code --queue-type}; {@code --workers} consumers on a
 * connection of their own (the worker node) take them with {@code --prefetch}, publish a
 * persistent reply on the same channel in confirm mode and acknowledge the tasks whose
 * replies are confirmed, several at once; the origin consumes the replies (acknowledged
 * every 50) and publishes the next task for each. Messages are the size and shape of the
 * transport's: a 64-byte body and the same headers. Prints
 * {@code CEILING <replies per second>} over {@code --duration} after {@code --warmup}.
 * The queues are named after {@code --queue} and deleted at the end.
 */
public final class BrokerRoundTrip {

	private static final int WINDOW = 1024;

	private final Connection originConnection;

	private final Connection workerConnection;

	private final String taskQueue;

	private final String replyQueue;

	private final byte[] body = new byte[64];

	private final BlockingQueue<Long> outgoing = new LinkedBlockingQueue<>();

	private final AtomicLong replies = new AtomicLong();

	private final AtomicLong nextId = new AtomicLong();

	private BrokerRoundTrip(Connection origin, Connection worker, String queue) {
		this.originConnection = origin;
		this.workerConnection = worker;
		this.taskQueue = queue;
		this.replyQueue = queue + ".replies";
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>(Map.of("--host", "127.0.0.1", "--port", "5672", "--queue",
				"bench.ceiling", "--queue-type", "quorum", "--in-flight", "256", "--workers", "4", "--prefetch", "50",
				"--duration", "10", "--warmup", "3"));
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!options.containsKey(args[i])) {
				throw new IllegalArgumentException("Unknown option " + args[i] + "; known: " + options.keySet());
			}
			options.put(args[i], args[i + 1]);
		}
		String host = options.get("--host");
		if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
			throw new IllegalArgumentException("Only a broker on 127.0.0.1 is used");
		}
		ConnectionFactory factory = new ConnectionFactory();
		factory.setHost(host);
		factory.setPort(Integer.parseInt(options.get("--port")));
		try (Connection origin = factory.newConnection("ceiling-origin");
				Connection worker = factory.newConnection("ceiling-worker")) {
			BrokerRoundTrip roundTrip = new BrokerRoundTrip(origin, worker, options.get("--queue"));
			roundTrip.declare(options.get("--queue-type"));
			try {
				double rate = roundTrip.run(Integer.parseInt(options.get("--in-flight")),
						Integer.parseInt(options.get("--workers")), Integer.parseInt(options.get("--prefetch")),
						Duration.ofSeconds(Long.parseLong(options.get("--warmup"))),
						Duration.ofSeconds(Long.parseLong(options.get("--duration"))));
				System.out.printf("CEILING %.0f%n", rate);
			}
			finally {
				try (Channel channel = origin.createChannel()) {
					channel.queueDelete(roundTrip.taskQueue);
					channel.queueDelete(roundTrip.replyQueue);
				}
			}
		}
	}

	private void declare(String queueType) throws Exception {
		try (Channel channel = this.originConnection.createChannel()) {
			channel.queueDeclare(this.taskQueue, true, false, false, Map.of("x-queue-type", queueType));
			channel.queueDeclare(this.replyQueue, true, false, false, Map.of());
		}
	}

	private double run(int inFlight, int workers, int prefetch, Duration warmup, Duration duration) throws Exception {
		for (int i = 0; i < workers; i++) {
			startWorker(prefetch);
		}
		startReplyConsumer();
		Thread publisher = new Thread(this::publish, "ceiling-publisher");
		publisher.setDaemon(true);
		publisher.start();
		for (long i = 0; i < inFlight; i++) {
			this.outgoing.add(this.nextId.getAndIncrement());
		}
		Thread.sleep(warmup.toMillis());
		long before = this.replies.get();
		long start = System.nanoTime();
		Thread.sleep(duration.toMillis());
		long counted = this.replies.get() - before;
		double seconds = (System.nanoTime() - start) / 1e9;
		publisher.interrupt();
		return counted / seconds;
	}

	private void publish() {
		try {
			Channel channel = this.originConnection.createChannel();
			Semaphore window = new Semaphore(WINDOW);
			ConcurrentSkipListMap<Long, Boolean> unconfirmed = new ConcurrentSkipListMap<>();
			channel.addConfirmListener(new ConfirmListener() {

				@Override
				public void handleAck(long sequence, boolean multiple) {
					confirmed(sequence, multiple);
				}

				@Override
				public void handleNack(long sequence, boolean multiple) {
					confirmed(sequence, multiple);
				}

				private void confirmed(long sequence, boolean multiple) {
					Map<Long, Boolean> done = multiple ? unconfirmed.headMap(sequence, true)
							: unconfirmed.subMap(sequence, true, sequence, true);
					int count = done.size();
					done.clear();
					window.release(count);
				}

			});
			channel.confirmSelect();
			while (!Thread.currentThread().isInterrupted()) {
				long id = this.outgoing.take();
				window.acquire();
				unconfirmed.put(channel.getNextPublishSeqNo(), Boolean.TRUE);
				channel.basicPublish("", this.taskQueue, false, task(id), this.body);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			ex.printStackTrace();
		}
	}

	private AMQP.BasicProperties task(long id) {
		Map<String, Object> headers = new HashMap<>(4);
		headers.put("swoole-task-id", id);
		headers.put("swoole-src-worker", 0);
		headers.put("swoole-dispatch-time", System.currentTimeMillis());
		headers.put("swoole-type", "io.swooletask.benchmarks.protocol.Request");
		return new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.messageId(Long.toString(id))
			.replyTo(this.replyQueue)
			.headers(headers)
			.build();
	}

	private static AMQP.BasicProperties reply(Object id) {
		Map<String, Object> headers = new HashMap<>(5);
		headers.put("swoole-task-id", id);
		headers.put("swoole-kind", "RESULT");
		headers.put("swoole-sequence", 0);
		headers.put("swoole-worker", 0);
		headers.put("swoole-type", "java.lang.String");
		return new AMQP.BasicProperties.Builder().contentType("application/json")
			.deliveryMode(2)
			.headers(headers)
			.build();
	}

	private void startWorker(int prefetch) throws Exception {
		Channel channel = this.workerConnection.createChannel();
		channel.basicQos(prefetch);
		channel.confirmSelect();
		ConcurrentSkipListMap<Long, Long> tagsBySequence = new ConcurrentSkipListMap<>();
		channel.addConfirmListener(new ConfirmListener() {

			@Override
			public void handleAck(long sequence, boolean multiple) throws IOException {
				Map<Long, Long> confirmed = multiple ? tagsBySequence.headMap(sequence, true)
						: tagsBySequence.subMap(sequence, true, sequence, true);
				long lastTag = 0;
				for (long tag : confirmed.values()) {
					lastTag = Math.max(lastTag, tag);
				}
				confirmed.clear();
				if (lastTag > 0) {
					channel.basicAck(lastTag, true);
				}
			}

			@Override
			public void handleNack(long sequence, boolean multiple) throws IOException {
				handleAck(sequence, multiple);
			}

		});
		channel.basicConsume(this.taskQueue, false, new DefaultConsumer(channel) {

			@Override
			public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
					byte[] body) throws IOException {
				tagsBySequence.put(channel.getNextPublishSeqNo(), envelope.getDeliveryTag());
				channel.basicPublish("", properties.getReplyTo(), true,
						reply(properties.getHeaders().get("swoole-task-id")), body);
			}

		});
	}

	private void startReplyConsumer() throws Exception {
		Channel channel = this.originConnection.createChannel();
		channel.basicQos(250);
		channel.basicConsume(this.replyQueue, false, new DefaultConsumer(channel) {

			private int unacknowledged;

			@Override
			public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
					byte[] body) throws IOException {
				BrokerRoundTrip.this.replies.incrementAndGet();
				BrokerRoundTrip.this.outgoing.add(BrokerRoundTrip.this.nextId.getAndIncrement());
				if (++this.unacknowledged == 50) {
					channel.basicAck(envelope.getDeliveryTag(), true);
					this.unacknowledged = 0;
				}
			}

		});
	}

}
