package io.swooletask.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports a key under {@code swoole.server.*} that names no setting, with where it was
 * set and the nearest setting, ahead of Spring Boot's own report, which names the key
 * only.
 */
class UnknownPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	private static final String PREFIX = "swoole.server.";

	private static final List<String> settings = settings(PREFIX, SwooleServerProperties.class);

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.filter((property) -> isUnknown(property.getName().toString()))
			.toList();
		if (unknown.isEmpty()) {
			return null;
		}
		StringBuilder description = new StringBuilder();
		StringBuilder action = new StringBuilder();
		for (ConfigurationProperty property : unknown) {
			String key = property.getName().toString();
			description.append(key)
				.append(" is not a setting of the Swoole server")
				.append((property.getOrigin() != null) ? " (set in " + property.getOrigin() + ")" : "")
				.append(".\n");
			String nearest = nearest(key);
			action.append((nearest != null) ? "Did you mean " + nearest + "? " : "")
				.append("Correct or remove ")
				.append(key)
				.append(".\n");
		}
		action.append("The settings are listed in the README under \"Settings\", and in the configuration metadata"
				+ " your IDE completes them from.");
		return new FailureAnalysis(description.toString().trim(), action.toString(), cause);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * The setting whose name is closest to the key, ignoring case and separators, if it
	 * is close enough to be a typo of it.
	 */
	private static @Nullable String nearest(String key) {
		String typed = normalized(key);
		String best = settings.stream()
			.min(Comparator.comparingInt((setting) -> distance(typed, normalized(setting))))
			.orElse(null);
		int threshold = Math.max(2, (typed.length() - PREFIX.length()) / 3);
		return (best != null && distance(typed, normalized(best)) <= threshold) ? best : null;
	}

	/**
	 * Whether a key under {@code swoole.server} names no setting; a class of the
	 * application's bound to a shorter prefix may leave the known ones unbound too.
	 */
	private static boolean isUnknown(String key) {
		if (!key.startsWith(PREFIX)) {
			return false;
		}
		String typed = normalized(key);
		return settings.stream().noneMatch((setting) -> normalized(setting).equals(typed));
	}

	private static String normalized(String name) {
		return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/**
	 * The kebab-case names of the settings of a properties class, nested groups walked
	 * into.
	 */
	private static List<String> settings(String prefix, Class<?> type) {
		List<String> names = new ArrayList<>();
		for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
			if (descriptor.getReadMethod() == null || descriptor.getName().equals("class")) {
				continue;
			}
			String name = prefix + DataObjectPropertyName.toDashedForm(descriptor.getName());
			Class<?> propertyType = descriptor.getPropertyType();
			if (propertyType.getEnclosingClass() == SwooleServerProperties.class && !propertyType.isEnum()) {
				names.addAll(settings(name + ".", propertyType));
			}
			else if (descriptor.getWriteMethod() != null) {
				names.add(name);
			}
		}
		return List.copyOf(names);
	}

}
