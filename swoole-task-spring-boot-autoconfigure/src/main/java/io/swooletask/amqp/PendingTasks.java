package io.swooletask.amqp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * The tasks dispatched here whose end has not arrived, by id. Whatever ends a task (its
 * last reply, its reply timeout, the stop) first claims it by removing it, so each task
 * ends once. Once {@link #stop()} has been called, a task is either refused by
 * {@link #add} or among those {@link #claimAll()} returns, never both and never neither:
 * {@code add} puts the task before it reads the stopped flag, the stop sets the flag
 * before it claims, and a task both see goes to whichever removes it.
 *
 * @param <T> what is kept of a task
 */
final class PendingTasks<T> {

	private final Map<Long, T> tasks = new ConcurrentHashMap<>();

	private volatile boolean stopped;

	/**
	 * Adds a task, unless the stop has begun.
	 * @param id the task id
	 * @param task the task
	 * @return {@code false} if the task is refused: the stop has begun and will not claim
	 * it
	 */
	boolean add(long id, T task) {
		this.tasks.put(id, task);
		return !this.stopped || this.tasks.remove(id) == null;
	}

	/**
	 * The task with an id, if it has not been claimed.
	 * @param id the task id
	 * @return the task, or {@code null}
	 */
	@Nullable T get(long id) {
		return this.tasks.get(id);
	}

	/**
	 * Claims a task.
	 * @param id the task id
	 * @return the task, or {@code null} if it was claimed already
	 */
	@Nullable T claim(long id) {
		return this.tasks.remove(id);
	}

	/**
	 * Claims the tasks that meet a condition.
	 * @param condition which tasks to claim
	 * @return the tasks claimed
	 */
	List<T> claimIf(Predicate<? super T> condition) {
		List<T> claimed = new ArrayList<>();
		this.tasks.forEach((id, task) -> {
			if (condition.test(task) && this.tasks.remove(id, task)) {
				claimed.add(task);
			}
		});
		return claimed;
	}

	/**
	 * Refuses the tasks added from now on; the tasks added before stay until claimed.
	 */
	void stop() {
		this.stopped = true;
	}

	/**
	 * Refuses the tasks added from now on, if {@link #stop()} did not already, and claims
	 * every task left that is not claimed already by what it holds.
	 * @param unclaimed claims a task by what it holds, telling whether it was not claimed
	 * before
	 * @return the tasks claimed
	 */
	List<T> claimAll(Predicate<? super T> unclaimed) {
		this.stopped = true;
		return claimIf(unclaimed);
	}

	boolean isEmpty() {
		return this.tasks.isEmpty();
	}

	int size() {
		return this.tasks.size();
	}

}
