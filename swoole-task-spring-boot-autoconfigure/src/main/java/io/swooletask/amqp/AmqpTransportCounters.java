package io.swooletask.amqp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task transport's counters at one moment.
 *
 * @param published tasks this node published and the broker confirmed
 * @param republished tasks this node sent again after the broker did not confirm them
 * @param consumed tasks this node's workers took from the queue
 * @param redelivered of those, tasks delivered again after a worker died on them or was
 * stopped
 * @param deadLettered tasks of this node that the broker dead-lettered
 * @param duplicates replies this node dropped because their task had them already or had
 * ended: a task that ran twice, or a reply arriving after the reply timeout
 * @param timedOut tasks of this node that failed because their end did not arrive within
 * the reply timeout
 * @param expired tasks dropped unrun because their origin's reply timeout had passed: by
 * this node's publisher before it sent them, by its workers before they ran them, or by
 * the broker as reported by its dead-letter consumer
 * @param returned replies of this node's workers that the broker gave back because their
 * origin's reply queue was gone
 * @param refusedResults results this node did not read because their type is neither
 * declared by a handler method nor trusted
 * @param awaitingReplies tasks of this node whose end has not arrived
 * @param writesRefused broadcasts and writes to the connections of other nodes that this
 * node did not send: their node was known gone, this node was stopping, or as many waited
 * for the broker as it holds
 * @param writesReturned writes to the connections of other nodes that the broker gave
 * back because the node was gone
 * @param writesMissed writes from other nodes that this node's connections did not take:
 * closed meanwhile, or their output full
 */
record AmqpTransportCounters(long published, long republished, long consumed, long redelivered, long deadLettered,
		long duplicates, long timedOut, long expired, long returned, long refusedResults, int awaitingReplies,
		long writesRefused, long writesReturned, long writesMissed) {

	/**
	 * The counters by the names of their components, in their order.
	 * @return the counts by name
	 */
	Map<String, Long> byName() {
		Map<String, Long> counts = new LinkedHashMap<>();
		counts.put("published", this.published);
		counts.put("republished", this.republished);
		counts.put("consumed", this.consumed);
		counts.put("redelivered", this.redelivered);
		counts.put("deadLettered", this.deadLettered);
		counts.put("duplicates", this.duplicates);
		counts.put("timedOut", this.timedOut);
		counts.put("expired", this.expired);
		counts.put("returned", this.returned);
		counts.put("refusedResults", this.refusedResults);
		counts.put("awaitingReplies", (long) this.awaitingReplies);
		counts.put("writesRefused", this.writesRefused);
		counts.put("writesReturned", this.writesReturned);
		counts.put("writesMissed", this.writesMissed);
		return Collections.unmodifiableMap(counts);
	}

}
