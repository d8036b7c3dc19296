/**
 * Micrometer Observations of the steps of each message, one trace per message: the
 * contexts and conventions of {@code swoole.receive}, {@code swoole.task} and
 * {@code swoole.finish}, and of {@code swoole.task.send} and {@code swoole.task.delivery}
 * across the broker. Loaded only when Micrometer Observation is on the class path.
 */
@NullMarked
package io.swooletask.observation;

import org.jspecify.annotations.NullMarked;
