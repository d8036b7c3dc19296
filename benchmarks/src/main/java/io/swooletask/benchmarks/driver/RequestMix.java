package io.swooletask.benchmarks.driver;

import java.util.ArrayList;
import java.util.List;

import io.swooletask.benchmarks.protocol.RequestType;

/**
 * The request types one connection sends, in a fixed cycle: {@code S20} sends only
 * {@code S20}; {@code T=8,S5=1,F=1} sends eight {@code T}, one {@code S5} and one
 * {@code F} in every ten requests.
 */
public final class RequestMix {

	private final String spec;

	private final RequestType[] cycle;

	private RequestMix(String spec, RequestType[] cycle) {
		this.spec = spec;
		this.cycle = cycle;
	}

	/**
	 * Parses a mix: one type ({@code T}, {@code S20}, {@code E}, {@code F}), or weighted
	 * types separated by commas ({@code T=8,S5=1,F=1}).
	 * @param spec the mix
	 * @return the mix
	 * @throws IllegalArgumentException if it is not one
	 */
	public static RequestMix parse(String spec) {
		List<RequestType> cycle = new ArrayList<>();
		for (String part : spec.split(",")) {
			int equals = part.indexOf('=');
			RequestType type = RequestType.parse((equals < 0) ? part : part.substring(0, equals));
			int weight = (equals < 0) ? 1 : Integer.parseInt(part.substring(equals + 1));
			if (type.code() == 'G' || weight < 1) {
				throw new IllegalArgumentException("Bad request mix '" + spec + "': use T, S<ms>, E or F, each with"
						+ " an optional weight of 1 or more, as in T=8,S5=1,F=1");
			}
			for (int i = 0; i < weight; i++) {
				cycle.add(type);
			}
		}
		return new RequestMix(spec, cycle.toArray(RequestType[]::new));
	}

	/**
	 * The type of a connection's request.
	 * @param sequence the request's sequence number on its connection
	 * @return its type
	 */
	public RequestType typeOf(long sequence) {
		return this.cycle[(int) (sequence % this.cycle.length)];
	}

	/**
	 * The single type of this mix.
	 * @return the type, or {@code null} if the mix has several
	 */
	public RequestType singleType() {
		RequestType first = this.cycle[0];
		for (RequestType type : this.cycle) {
			if (!type.equals(first)) {
				return null;
			}
		}
		return first;
	}

	@Override
	public String toString() {
		return this.spec;
	}

}
