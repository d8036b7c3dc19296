package io.swooletask.amqp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

import org.springframework.util.ClassUtils;

/**
 * The types a message may be read into, where the message names its value's class: so
 * that a message never chooses the class to instantiate, only these are loaded.
 * <ul>
 * <li>the types the application declares, exactly, and the permitted subclasses of a
 * sealed one: for task data on a worker node, the data types of its {@code @OnTask}
 * methods; for results on the dispatching node, the parameter types of its
 * {@code @OnFinish} methods and the return types of its {@code @OnTask} methods. A
 * subclass of a declared type is not trusted for being one, since {@code Object} or an
 * interface would then trust everything: declare it, or list its package;</li>
 * <li>JDK value types: {@code String}, the boxed primitives, primitive arrays,
 * {@code BigDecimal}, {@code BigInteger}, {@code UUID} and the {@code java.time} values,
 * and arrays of them;</li>
 * <li>JDK lists, sets and maps, read as {@code List}, {@code Set} and {@code Map} of
 * plain JSON values;</li>
 * <li>the types in {@code swoole.server.amqp.trusted-packages} and their
 * subpackages.</li>
 * </ul>
 * Any other type is refused: counted, and logged once per type.
 */
final class TrustedTypes {

	private static final Log logger = LogFactory.getLog(TrustedTypes.class);

	static final Set<Class<?>> JDK_VALUE_TYPES = Set.of(String.class, Boolean.class, Character.class, Byte.class,
			Short.class, Integer.class, Long.class, Float.class, Double.class, BigDecimal.class, BigInteger.class,
			UUID.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class, OffsetDateTime.class,
			OffsetTime.class, ZonedDateTime.class, Duration.class, Period.class, Year.class, YearMonth.class,
			MonthDay.class, ZoneOffset.class, DayOfWeek.class, Month.class);

	private static final List<Class<?>> JDK_CONTAINERS = List.of(List.class, Set.class, Map.class);

	/** Types refused are logged once each, up to this many. */
	private static final int MAX_LOGGED = 1000;

	private final Supplier<Stream<Class<?>>> declared;

	/**
	 * The names of the declared types and the JDK value types, made at the first message.
	 */
	private volatile @Nullable Set<String> trusted;

	private final List<String> trustedPackages;

	private final @Nullable ClassLoader classLoader;

	private final String refusal;

	private final Set<String> logged = ConcurrentHashMap.newKeySet();

	private final LongAdder refused = new LongAdder();

	/**
	 * Creates the trusted types.
	 * @param declared the types the handler methods declare, asked once the first message
	 * comes, when every handler bean has been found
	 * @param refusal why a type is refused, with {@code %s} for its name
	 * @param trustedPackages the packages whose types are trusted besides
	 * @param classLoader loads the trusted types; {@code null} for the default class
	 * loader
	 */
	private TrustedTypes(Supplier<Stream<Class<?>>> declared, String refusal, List<String> trustedPackages,
			@Nullable ClassLoader classLoader) {
		this.declared = declared;
		this.refusal = refusal;
		this.trustedPackages = trustedPackages.stream().map((name) -> name + ".").toList();
		this.classLoader = classLoader;
	}

	/**
	 * The types task data may be read into on a worker node.
	 * @param declared the types the {@code @OnTask} methods take
	 * @param trustedPackages the packages whose types are trusted besides
	 * @param classLoader loads the trusted types; {@code null} for the default class
	 * loader
	 * @return the trusted types
	 */
	static TrustedTypes forTaskData(Supplier<List<Class<?>>> declared, List<String> trustedPackages,
			@Nullable ClassLoader classLoader) {
		return new TrustedTypes(() -> declared.get().stream(),
				"Task data of type %s is not read: no @OnTask method declares that type", trustedPackages, classLoader);
	}

	/**
	 * The types results may be read into on the dispatching node.
	 * @param declared the types the {@code @OnFinish} methods take and the
	 * {@code @OnTask} methods return
	 * @param trustedPackages the packages whose types are trusted besides
	 * @param classLoader loads the trusted types; {@code null} for the default class
	 * loader
	 * @return the trusted types
	 */
	static TrustedTypes forResults(Supplier<List<Class<?>>> declared, List<String> trustedPackages,
			@Nullable ClassLoader classLoader) {
		return new TrustedTypes(() -> declared.get().stream(),
				"Results of type %s are not read: an @OnFinish method does not take that type, nor an @OnTask method"
						+ " return it",
				trustedPackages, classLoader);
	}

	private Set<String> trusted() {
		Set<String> trusted = this.trusted;
		if (trusted == null) {
			Set<String> names = new HashSet<>();
			Stream.concat(this.declared.get(), JDK_VALUE_TYPES.stream()).forEach((type) -> trust(type, names));
			trusted = Set.copyOf(names);
			this.trusted = trusted;
		}
		return trusted;
	}

	private static void trust(Class<?> type, Set<String> names) {
		names.add(type.getName());
		if (type.isSealed()) {
			for (Class<?> subclass : type.getPermittedSubclasses()) {
				trust(subclass, names);
			}
		}
	}

	/**
	 * The type to read a result into.
	 * @param typeName the class name the reply gives, or {@code null} if it names none
	 * @return the type
	 * @throws ClassNotFoundException if the type is not trusted, or missing here
	 */
	Class<?> resolve(@Nullable String typeName) throws ClassNotFoundException {
		if (typeName == null) {
			throw new ClassNotFoundException("The message names no type (header " + TaskMessages.TYPE + ")");
		}
		if (isTrusted(typeName)) {
			return ClassUtils.forName(typeName, this.classLoader);
		}
		Class<?> container = jdkContainer(typeName);
		if (container != null) {
			return container;
		}
		throw refuse(typeName);
	}

	/**
	 * Limits the classes that JSON names inside a value, for a property with
	 * {@code @JsonTypeInfo} or a mapper with default typing, to these types, so that no
	 * class is read that the header could not name.
	 * @return the validator
	 */
	PolymorphicTypeValidator validator() {
		return new Validator();
	}

	private Refused refuse(String typeName) {
		this.refused.increment();
		String reason = this.refusal.formatted(typeName) + ", and it is not a JDK value type. To read it, add its"
				+ " package to swoole.server.amqp.trusted-packages";
		if (this.logged.size() < MAX_LOGGED && this.logged.add(typeName)) {
			logger.warn(reason);
		}
		return new Refused(reason);
	}

	private boolean isTrusted(String typeName) {
		if (typeName.startsWith("[")) {
			String component = typeName.substring(1);
			return (component.startsWith("L") && component.endsWith(";"))
					? isTrusted(component.substring(1, component.length() - 1))
					: component.length() == 1 || isTrusted(component);
		}
		return trusted().contains(typeName) || this.trustedPackages.stream().anyMatch(typeName::startsWith);
	}

	private static @Nullable Class<?> jdkContainer(String typeName) {
		if (!typeName.startsWith("java.util.")) {
			return null;
		}
		try {
			Class<?> type = ClassUtils.forName(typeName, null);
			return JDK_CONTAINERS.stream()
				.filter((container) -> container.isAssignableFrom(type))
				.findFirst()
				.orElse(null);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return null;
		}
	}

	long refused() {
		return this.refused.sum();
	}

	/**
	 * A type refused, logged once per type where it was refused.
	 */
	static final class Refused extends ClassNotFoundException {

		Refused(String reason) {
			super(reason);
		}

	}

	private final class Validator extends PolymorphicTypeValidator.Base {

		@Override
		public Validity validateSubClassName(DatabindContext context, JavaType baseType, String subClassName) {
			if (isTrusted(subClassName) || jdkContainer(subClassName) != null) {
				return Validity.ALLOWED;
			}
			refuse(subClassName);
			return Validity.DENIED;
		}

	}

}
