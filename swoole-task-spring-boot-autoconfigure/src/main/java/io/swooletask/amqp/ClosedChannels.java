package io.swooletask.amqp;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.connection.ChannelProxy;

/**
 * Closes the channels the transport keeps for itself for good, so that the connection's
 * cache does not hand one back to another user with its listeners and unconfirmed
 * publishes: the channel under the cache's proxy is aborted (its close, or the broker's
 * reply, waits a bounded time, then it is dropped). A channel already closing (the broker
 * closed it, or another thread) is left to finish: aborting it again would free its
 * number before the broker's close-ok, the next channel would reopen that number too
 * soon, and the broker would close the whole connection for it.
 */
final class ClosedChannels {

	private static final Log logger = LogFactory.getLog(ClosedChannels.class);

	private ClosedChannels() {
	}

	/**
	 * Closes a channel for good.
	 * @param channel the channel, or the cache's proxy of it
	 * @param what what the channel was for, for the log line if closing fails
	 */
	static void closeForGood(Channel channel, String what) {
		try {
			Channel target = (channel instanceof ChannelProxy proxy) ? proxy.getTargetChannel() : channel;
			if (target.isOpen()) {
				target.abort();
			}
			if (channel != target) {
				channel.close();
			}
		}
		catch (Exception ex) {
			logger.debug("Closing the channel of " + what + " failed", ex);
		}
	}

}
