package io.swooletask.server.netty;

/**
 * The pool's counters at one moment.
 *
 * @param workerNum how many task workers there are
 * @param dispatched tasks dispatched
 * @param queued tasks queued, not yet started
 * @param queuePeak the most tasks ever queued at once
 * @param running tasks running now
 * @param completed tasks whose handler returned
 * @param failed tasks whose handler threw
 * @param rejected tasks refused by {@code task()}
 * @param droppedFinishes finish events of tasks that outlived the shutdown, dropped since
 * the event loops were gone
 */
record TaskCounters(int workerNum, long dispatched, int queued, int queuePeak, int running, long completed, long failed,
		long rejected, long droppedFinishes) {

}
