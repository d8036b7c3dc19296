package io.swooletask.architecture;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering rules of DESIGN.md, checked on the compiled main classes: no package
 * cycles but the {@code @Reflective} processor link, an API that imports no internal
 * package, and an allow-list of the public types of each package, which fails when a type
 * becomes public without being added to it.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.swooletask");

	/**
	 * The public types of each package. Beside the API of DESIGN.md, the backend SPI and
	 * the observation types users customise, each entry says why it is public.
	 */
	private static final Map<String, Set<String>> PUBLIC_TYPES = Map.of(
			// the handler annotations
			"io.swooletask.annotation",
			Set.of("OnClose", "OnConnect", "OnFinish", "OnReceive", "OnTask", "OnWorkerStart", "OnWorkerStop"),
			// the API, with the values of the swoole.server.* settings
			"io.swooletask.server",
			Set.of("Connection", "FinishCallback", "HandlerDefinitionException", "PackageLengthType",
					"PortInUseException", "ServerShutdownException", "Shutdown", "ServerStats", "SwooleServer",
					"SwooleServerCustomizer", "SwooleServerException", "SwooleServerStartedEvent", "Task",
					"TaskErrorHandler", "TaskFailedException", "TaskNoResultException", "TaskOutcome", "TaskOverflow",
					"TaskQueueType", "TaskRejectedException", "TaskTimeoutException"),
			// auto-configurations, properties, the lifecycles a user may replace, the
			// actuator endpoint
			"io.swooletask.autoconfigure",
			Set.of("SwooleAmqpTaskTransportAutoConfiguration", "SwooleEndpoint",
					"SwooleServerActuatorAutoConfiguration", "SwooleServerAutoConfiguration", "SwooleServerBootstrap",
					"SwooleServerMetricsAutoConfiguration", "SwooleServerObservationAutoConfiguration",
					"SwooleServerProperties", "SwooleServerProperties$Amqp", "SwooleServerProperties$Logging",
					"SwooleServerProperties$Observations", "SwooleServerProperties$Ssl",
					"SwooleServerProperties$Ssl$ClientAuth", "SwooleServerProperties$TaskTransport",
					"SwooleTaskPoolBootstrap"),
			// the backend SPI: TaskBackend, its Context and Factory, the BackendTask it
			// is handed, the MessageObservations a backend reports its steps to, the
			// TaskObserver of metrics, the TaskWorkerSettings its context gives and the
			// NodeConnections it writes to for other nodes
			"io.swooletask.task",
			Set.of("BackendTask", "MessageObservations", "MessageObservations$Step", "NodeConnections", "TaskBackend",
					"TaskBackend$Context", "TaskBackend$Factory", "TaskObserver", "TaskWorkerSettings",
					"TaskWorkerSettings$WorkerThreads"),
			// the amqp backend's factory, built by the auto-configuration, which also
			// binds the meters of its counts
			"io.swooletask.amqp", Set.of("AmqpTaskTransport", "AmqpTaskTransport$Settings"),
			// the server (with what metrics and health read of it beyond stats()), the
			// factory the properties are mapped onto, which builds the rest, the handler
			// discovery post-processor the auto-configuration registers, and the
			// @Reflective processor the annotations name
			"io.swooletask.server.netty",
			Set.of("HandlerMethodProcessor", "NettySwooleServer", "NettySwooleServerFactory",
					"TaskPayloadReflectiveProcessor"),
			// the contexts, conventions and documentation users customise the
			// Micrometer observations with
			"io.swooletask.observation",
			Set.of("DefaultSwooleFinishObservationConvention", "DefaultSwooleReceiveObservationConvention",
					"DefaultSwooleTaskDeliveryObservationConvention", "DefaultSwooleTaskObservationConvention",
					"DefaultSwooleTaskSendObservationConvention", "SwooleFinishContext",
					"SwooleFinishObservationConvention", "SwooleObservationDocumentation",
					"SwooleObservationDocumentation$StepKeyNames", "SwooleObservationDocumentation$TransportKeyNames",
					"SwooleReceiveContext", "SwooleReceiveObservationConvention", "SwooleStepContext",
					"SwooleTaskContext", "SwooleTaskDeliveryContext", "SwooleTaskDeliveryObservationConvention",
					"SwooleTaskObservationConvention", "SwooleTaskSendContext", "SwooleTaskSendObservationConvention"));

	/**
	 * What a task backend may use of the task package.
	 */
	private static final Set<String> BACKEND_SPI = Set.of("io.swooletask.task.TaskBackend",
			"io.swooletask.task.TaskBackend$Context", "io.swooletask.task.TaskBackend$Factory",
			"io.swooletask.task.BackendTask", "io.swooletask.task.MessageObservations",
			"io.swooletask.task.MessageObservations$Step", "io.swooletask.task.TaskObserver",
			"io.swooletask.task.TaskWorkerSettings", "io.swooletask.task.TaskWorkerSettings$WorkerThreads",
			"io.swooletask.task.NodeConnections");

	@Test
	void packagesHaveNoCyclesButTheReflectiveProcessorLink() {
		slices().matching("io.swooletask.(**)")
			.should()
			.beFreeOfCycles()
			.ignoreDependency(
					describe("an annotation",
							(JavaClass type) -> type.getPackageName().equals("io.swooletask.annotation")),
					simpleName("TaskPayloadReflectiveProcessor"))
			.check(classes);
	}

	@Test
	void apiImportsNoInternalPackage() {
		noClasses().that()
			.resideInAPackage("io.swooletask.server")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.swooletask.server.netty..", "io.swooletask.task..", "io.swooletask.amqp..",
					"io.swooletask.autoconfigure..", "io.swooletask.observation..")
			.check(classes);
	}

	@Test
	void theBackendSpiImportsOnlyTheApi() {
		noClasses().that()
			.resideInAPackage("io.swooletask.task")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.swooletask.server.netty..", "io.swooletask.amqp..", "io.swooletask.autoconfigure..",
					"io.swooletask.observation..")
			.check(classes);
	}

	@Test
	void theAmqpBackendSeesOnlyTheApiAndTheBackendSpi() {
		noClasses().that()
			.resideInAPackage("io.swooletask.amqp")
			.should()
			.dependOnClassesThat(describe("an internal type outside the backend SPI",
					(JavaClass type) -> type.getPackageName().startsWith("io.swooletask.")
							&& !type.getPackageName().equals("io.swooletask.amqp")
							&& !type.getPackageName().equals("io.swooletask.server")
							&& !BACKEND_SPI.contains(type.getName())))
			.check(classes);
	}

	@Test
	void onlyTheListedTypesArePublic() {
		Map<String, Set<String>> found = new TreeMap<>();
		for (JavaClass type : classes) {
			if (isPublic(type) && !type.isAnonymousClass() && !type.getSimpleName().equals("package-info")) {
				found.computeIfAbsent(type.getPackageName(), (name) -> new TreeSet<>())
					.add(type.getName().substring(type.getPackageName().length() + 1));
			}
		}
		List<String> unlisted = found.entrySet()
			.stream()
			.flatMap((entry) -> entry.getValue()
				.stream()
				.filter((name) -> !PUBLIC_TYPES.getOrDefault(entry.getKey(), Set.of()).contains(name))
				.map((name) -> entry.getKey() + "." + name))
			.toList();
		assertThat(unlisted)
			.as("public types not in the allow-list: make them package-private, or add them to it"
					+ " with the reason they are public")
			.isEmpty();
	}

	private static boolean isPublic(JavaClass type) {
		if (!type.getModifiers().contains(JavaModifier.PUBLIC)) {
			return false;
		}
		return type.getEnclosingClass().map(ArchitectureTests::isPublic).orElse(true);
	}

}
