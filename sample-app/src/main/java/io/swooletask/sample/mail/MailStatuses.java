package io.swooletask.sample.mail;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The status of each mail, by task id, for {@code GET /mail/{id}}. Bounded: past its
 * size, the oldest finished entries go first.
 */
@Component
@Profile("mail")
class MailStatuses {

	static final int SIZE = 10_000;

	private final Map<String, Status> statuses = new LinkedHashMap<>();

	/**
	 * Records a mail handed to the task workers, unless its task has already ended.
	 * @param id its task id
	 * @return its status now
	 */
	synchronized Status queued(String id) {
		Status status = this.statuses.computeIfAbsent(id, (key) -> new Status(key, "queued", null));
		evictFinished();
		return status;
	}

	/**
	 * Records what became of a mail.
	 * @param id its task id
	 * @param result its task's result
	 */
	synchronized void finished(String id, MailResult result) {
		this.statuses.put(id, new Status(id, result.sent() ? "sent" : "failed", result.error()));
		evictFinished();
	}

	synchronized Optional<Status> get(String id) {
		return Optional.ofNullable(this.statuses.get(id));
	}

	private void evictFinished() {
		Iterator<Status> oldestFirst = this.statuses.values().iterator();
		while (this.statuses.size() > SIZE && oldestFirst.hasNext()) {
			if (!oldestFirst.next().status().equals("queued")) {
				oldestFirst.remove();
			}
		}
	}

	/**
	 * A mail's status as {@code GET /mail/{id}} answers it.
	 *
	 * @param id the mail's task id, as a string: task ids may pass 2^53
	 * @param status {@code queued}, {@code sent} or {@code failed}
	 * @param error why it failed, only when it did
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Status(String id, String status, String error) {
	}

}
