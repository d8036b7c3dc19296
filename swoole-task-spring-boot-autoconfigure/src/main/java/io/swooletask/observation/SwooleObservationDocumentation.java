package io.swooletask.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;
import org.jspecify.annotations.Nullable;

/**
 * The observations of the steps of a message, their default conventions and their
 * low-cardinality keys.
 */
public enum SwooleObservationDocumentation implements ObservationDocumentation {

	/** An {@code @OnReceive} call on an event loop. */
	RECEIVE {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSwooleReceiveObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return StepKeyNames.values();
		}
	},

	/** An {@code @OnTask} call on a task worker. */
	TASK {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSwooleTaskObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return StepKeyNames.values();
		}
	},

	/**
	 * A finish result handed to its {@code @OnFinish} method, callback or future on the
	 * event loop.
	 */
	FINISH {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSwooleFinishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return StepKeyNames.values();
		}
	},

	/** A task published to the broker. */
	TASK_SEND {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSwooleTaskSendObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TransportKeyNames.values();
		}
	},

	/** A task from the broker delivered to a task worker. */
	TASK_DELIVERY {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSwooleTaskDeliveryObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TransportKeyNames.values();
		}
	};

	/**
	 * The keys of the receive, task and finish observations.
	 */
	public enum StepKeyNames implements KeyName {

		/**
		 * What handles the step: {@code bean.method}, or {@code callback} or
		 * {@code future}.
		 */
		HANDLER {
			@Override
			public String asString() {
				return "handler";
			}
		},

		/** {@code success}, or {@code error} when the step threw. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/** The transport of the server's tasks: {@code local} or {@code amqp}. */
		TRANSPORT {
			@Override
			public String asString() {
				return "transport";
			}
		}

	}

	/**
	 * The keys of the send and delivery observations.
	 */
	public enum TransportKeyNames implements KeyName {

		/** {@code success}, or {@code error} when the step failed. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		},

		/** The transport: {@code amqp}. */
		TRANSPORT {
			@Override
			public String asString() {
				return "transport";
			}
		}

	}

	static String outcome(@Nullable Throwable error) {
		return (error != null) ? "error" : "success";
	}

}
