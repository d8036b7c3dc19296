package io.swooletask.autoconfigure;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata that IDEs show for {@code swoole.server.*}, generated from the properties'
 * field Javadoc and merged with {@code additional-spring-configuration-metadata.json},
 * and its agreement with {@code docs/configuration.md}, so that neither the page nor the
 * IDE omits a property.
 */
class ConfigurationMetadataTests {

	private static final Path CONFIGURATION_PAGE = Path.of("..", "docs", "configuration.md");

	private static final Set<String> NO_DEFAULT = Set.of("swoole.server.worker-num", "swoole.server.task-worker-num",
			"swoole.server.heartbeat-idle-time", "swoole.server.heartbeat-check-interval", "swoole.server.ssl.bundle",
			"swoole.server.amqp.trusted-packages", "swoole.server.amqp.prefetch");

	@Test
	void everyPropertyHasADescription() throws Exception {
		assertThat(swooleProperties()).isNotEmpty()
			.allSatisfy((property) -> assertThat((String) property.get("description")).as(name(property))
				.isNotBlank()
				.endsWith("."));
	}

	@Test
	void everyBooleanDescriptionStartsWithWhether() throws Exception {
		assertThat(swooleProperties()).filteredOn((property) -> "java.lang.Boolean".equals(property.get("type")))
			.isNotEmpty()
			.allSatisfy((property) -> assertThat((String) property.get("description")).as(name(property))
				.startsWith("Whether"));
	}

	@Test
	void everyPropertyWithADefaultDeclaresIt() throws Exception {
		assertThat(swooleProperties()).filteredOn((property) -> !NO_DEFAULT.contains(name(property)))
			.allSatisfy((property) -> assertThat(property).as(name(property)).containsKey("defaultValue"));
	}

	@Test
	void lengthTypeDefaultKeepsItsCase() throws Exception {
		List<Object> defaults = JsonPath.read(metadata(),
				"$.properties[?(@.name == 'swoole.server.package-length-type')].defaultValue");
		assertThat(defaults).containsExactly("N");
	}

	@Test
	void deprecatedPrefetchNamesSpringBootsListenerSetting() throws Exception {
		List<Map<String, Object>> deprecations = JsonPath.read(metadata(),
				"$.properties[?(@.name == 'swoole.server.amqp.prefetch')].deprecation");
		assertThat(deprecations).singleElement()
			.satisfies((deprecation) -> assertThat(deprecation)
				.containsEntry("replacement", "spring.rabbitmq.listener.simple.prefetch")
				.containsEntry("since", "0.1.0"));
	}

	@Test
	void enumeratedValuesHaveHints() throws Exception {
		List<String> lengthTypes = JsonPath.read(metadata(),
				"$.hints[?(@.name == 'swoole.server.package-length-type')].values[*].value");
		List<String> overflows = JsonPath.read(metadata(),
				"$.hints[?(@.name == 'swoole.server.task-overflow')].values[*].value");
		assertThat(lengthTypes).containsExactly("c", "C", "s", "S", "n", "N", "l", "L", "v", "V");
		assertThat(overflows).containsExactly("backpressure", "reject");
	}

	@Test
	void everyPropertyOfTheConfigurationPageHasMetadata() throws Exception {
		assertThat(propertyNames()).containsAll(documentedProperties());
	}

	@Test
	void everySwoolePropertyWithMetadataIsOnTheConfigurationPage() throws Exception {
		List<String> withMetadata = swooleProperties().stream().map(ConfigurationMetadataTests::name).toList();
		assertThat(documentedProperties()).containsAll(withMetadata);
	}

	@Test
	void healthIndicatorSwitchHasMetadata() throws Exception {
		assertThat(propertyNames()).contains("management.health.swoole.enabled");
	}

	/**
	 * The first column of every table of the page whose header starts with
	 * {@code property}: a name relative to {@code swoole.server.}, in backticks.
	 */
	private static List<String> documentedProperties() throws Exception {
		List<String> properties = new ArrayList<>();
		boolean inPropertyTable = false;
		for (String line : Files.readAllLines(CONFIGURATION_PAGE)) {
			if (!line.startsWith("|")) {
				inPropertyTable = false;
				continue;
			}
			String firstCell = line.substring(1, line.indexOf('|', 1)).strip();
			if (firstCell.equals("property")) {
				inPropertyTable = true;
			}
			else if (inPropertyTable && firstCell.startsWith("`")) {
				properties.add("swoole.server." + firstCell.replace("`", ""));
			}
		}
		assertThat(properties).as("properties documented in %s", CONFIGURATION_PAGE).isNotEmpty();
		return properties;
	}

	/**
	 * The names in the generated metadata and in the additional metadata that the
	 * processor merges into it when it runs, so that a build that did not recompile since
	 * the additional file changed still counts them.
	 */
	private static List<String> propertyNames() throws Exception {
		String additional = read("META-INF/additional-spring-configuration-metadata.json");
		List<String> names = new ArrayList<>(JsonPath.read(metadata(), "$.properties[*].name"));
		names.addAll(JsonPath.read(additional, "$.properties[*].name"));
		return names;
	}

	private static List<Map<String, Object>> swooleProperties() throws Exception {
		return JsonPath.read(metadata(), "$.properties[?(@.name =~ /swoole\\.server\\..*/)]");
	}

	private static String name(Map<String, Object> property) {
		return (String) property.get("name");
	}

	private static String metadata() throws Exception {
		return read("META-INF/spring-configuration-metadata.json");
	}

	/**
	 * The resource beside the main classes: the test classes hold metadata of their own,
	 * written for the properties classes the tests declare, which comes first on the
	 * class path.
	 */
	private static String read(String resource) throws Exception {
		URI mainClasses = SwooleServerProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
		try (InputStream input = mainClasses.resolve(resource).toURL().openStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
