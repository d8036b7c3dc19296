/**
 * Auto-configuration of the Swoole task server, its properties, and its metrics,
 * observations, health and actuator endpoint.
 */
@NullMarked
package io.swooletask.autoconfigure;

import org.jspecify.annotations.NullMarked;
