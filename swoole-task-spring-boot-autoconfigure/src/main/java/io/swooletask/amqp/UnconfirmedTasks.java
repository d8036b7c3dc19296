package io.swooletask.amqp;

import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Predicate;

import com.rabbitmq.client.ConfirmListener;

/**
 * The tasks published on one channel that the broker has not confirmed yet, by publish
 * sequence number. Confirmed, they go to {@link Outcome#confirmed}; refused, or left when
 * the channel closes, to {@link Outcome#refused}, to be sent again; given up on by their
 * origin, to {@link Outcome#abandoned}. Each task goes to one of them once: whatever ends
 * a task first removes it. A task added while the channel shuts down is either found by
 * {@link #sendAgain()} or refused by {@link #add}: {@code add} puts the task before it
 * reads the closed flag, and the shutdown sets the flag before it walks the tasks.
 *
 * @param <T> a task
 */
final class UnconfirmedTasks<T> implements ConfirmListener {

	private final NavigableMap<Long, Sent<T>> tasks = new ConcurrentSkipListMap<>();

	private final Outcome<T> outcome;

	private volatile boolean closed;

	UnconfirmedTasks(Outcome<T> outcome) {
		this.outcome = outcome;
	}

	/**
	 * Adds a task about to be published.
	 * @param sequence its publish sequence number on the channel
	 * @param task the task
	 */
	void add(long sequence, T task) {
		this.tasks.put(sequence, new Sent<>(task, System.nanoTime()));
		if (this.closed && this.tasks.remove(sequence) != null) {
			this.outcome.refused(task);
		}
	}

	long oldestAgeNanos() {
		Map.Entry<Long, Sent<T>> oldest = this.tasks.firstEntry();
		return (oldest != null) ? System.nanoTime() - oldest.getValue().nanos() : 0;
	}

	int size() {
		return this.tasks.size();
	}

	@Override
	public void handleAck(long sequence, boolean multiple) {
		remove(sequence, multiple, false);
	}

	@Override
	public void handleNack(long sequence, boolean multiple) {
		remove(sequence, multiple, true);
	}

	/**
	 * Abandons the tasks whose origin gave up on them: a confirm that comes later finds
	 * nothing, and a close of the channel does not send them again.
	 * @param givenUp which tasks
	 */
	void abandon(Predicate<T> givenUp) {
		for (Map.Entry<Long, Sent<T>> entry : this.tasks.entrySet()) {
			if (givenUp.test(entry.getValue().task()) && this.tasks.remove(entry.getKey(), entry.getValue())) {
				this.outcome.abandoned(entry.getValue().task());
			}
		}
	}

	/**
	 * Refuses every task left, when the channel has closed.
	 */
	void sendAgain() {
		this.closed = true;
		remove(Long.MAX_VALUE, true, true);
	}

	private void remove(long sequence, boolean multiple, boolean again) {
		Map<Long, Sent<T>> ended = multiple ? this.tasks.headMap(sequence, true)
				: this.tasks.subMap(sequence, true, sequence, true);
		for (Map.Entry<Long, Sent<T>> entry : ended.entrySet()) {
			if (this.tasks.remove(entry.getKey(), entry.getValue())) {
				if (again) {
					this.outcome.refused(entry.getValue().task());
				}
				else {
					this.outcome.confirmed(entry.getValue().task());
				}
			}
		}
	}

	/**
	 * What becomes of the tasks; each call gives back the task's place in the publishing
	 * window.
	 *
	 * @param <T> a task
	 */
	interface Outcome<T> {

		void confirmed(T task);

		void refused(T task);

		void abandoned(T task);

	}

	private record Sent<T>(T task, long nanos) {
	}

}
