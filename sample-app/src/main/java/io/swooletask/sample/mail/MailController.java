package io.swooletask.sample.mail;

import java.net.URI;
import java.util.Map;

import io.swooletask.server.ServerShutdownException;
import io.swooletask.server.SwooleServer;
import io.swooletask.server.SwooleServerException;
import io.swooletask.server.Task;
import io.swooletask.server.TaskRejectedException;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Takes mail over HTTP and hands it to the task workers: the request is answered at once,
 * and the mail's status can be asked for later.
 */
@RestController
@Profile("mail")
class MailController {

	private final SwooleServer server;

	private final MailStatuses statuses;

	MailController(SwooleServer server, MailStatuses statuses) {
		this.server = server;
		this.statuses = statuses;
	}

	@PostMapping("/mail")
	ResponseEntity<?> send(@RequestBody Mail mail) {
		if (isBlank(mail.to()) || mail.subject() == null || mail.text() == null) {
			return ResponseEntity.badRequest().body(Map.of("error", "to, subject and text are required"));
		}
		long id = this.server.task(mail,
				(Task task, MailResult result) -> this.statuses.finished(Long.toString(task.id()), result));
		MailStatuses.Status status = this.statuses.queued(Long.toString(id));
		return ResponseEntity.accepted().location(URI.create("/mail/" + id)).body(status);
	}

	private static boolean isBlank(String text) {
		return text == null || text.isBlank();
	}

	@GetMapping("/mail/{id}")
	ResponseEntity<MailStatuses.Status> status(@PathVariable String id) {
		return ResponseEntity.of(this.statuses.get(id));
	}

	/**
	 * The task queue is full ({@code task-overflow: reject}), or the application is
	 * stopping: come back in a second.
	 */
	@ExceptionHandler({ TaskRejectedException.class, ServerShutdownException.class })
	ResponseEntity<Map<String, String>> notNow(SwooleServerException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(Map.of("error", ex.getMessage()));
	}

}
