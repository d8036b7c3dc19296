package io.swooletask.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metadata that IDEs show for {@code swoole.server.*}, generated from the properties' field Javadoc.
 */
class ConfigurationMetadataTests {

	private static final Set<String> NO_DEFAULT = Set.of("swoole.server.worker-num",
			"swoole.server.heartbeat-idle-time", "swoole.server.heartbeat-check-interval", "swoole.server.ssl.bundle",
			"swoole.server.amqp.trusted-packages");

	@Test
	void everyPropertyHasADescription() throws IOException {
		assertThat(swooleProperties()).isNotEmpty()
			.allSatisfy((property) -> assertThat((String) property.get("description")).as(name(property))
				.isNotBlank()
				.endsWith("."));
	}

	@Test
	void everyBooleanDescriptionStartsWithWhether() throws IOException {
		assertThat(swooleProperties()).filteredOn((property) -> "java.lang.Boolean".equals(property.get("type")))
			.isNotEmpty()
			.allSatisfy((property) -> assertThat((String) property.get("description")).as(name(property))
				.startsWith("Whether"));
	}

	@Test
	void everyPropertyWithADefaultDeclaresIt() throws IOException {
		assertThat(swooleProperties()).filteredOn((property) -> !NO_DEFAULT.contains(name(property)))
			.allSatisfy((property) -> assertThat(property).as(name(property)).containsKey("defaultValue"));
	}

	@Test
	void lengthTypeDefaultKeepsItsCase() throws IOException {
		List<Object> defaults = JsonPath.read(metadata(),
				"$.properties[?(@.name == 'swoole.server.package-length-type')].defaultValue");
		assertThat(defaults).containsExactly("N");
	}

	@Test
	void enumeratedValuesHaveHints() throws IOException {
		List<String> lengthTypes = JsonPath.read(metadata(),
				"$.hints[?(@.name == 'swoole.server.package-length-type')].values[*].value");
		List<String> overflows = JsonPath.read(metadata(),
				"$.hints[?(@.name == 'swoole.server.task-overflow')].values[*].value");
		assertThat(lengthTypes).containsExactly("c", "C", "s", "S", "n", "N", "l", "L", "v", "V");
		assertThat(overflows).containsExactly("backpressure", "reject");
	}

	private static List<Map<String, Object>> swooleProperties() throws IOException {
		return JsonPath.read(metadata(), "$.properties[?(@.name =~ /swoole\\.server\\..*/)]");
	}

	private static String name(Map<String, Object> property) {
		return (String) property.get("name");
	}

	private static String metadata() throws IOException {
		try (InputStream input = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return new String(input.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
