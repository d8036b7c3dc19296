package io.swooletask.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.preinitialize.BackgroundPreinitializer;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

class SwooleServerBackgroundPreinitializerTests {

	@Test
	void isRegisteredForSpringBootsBackgroundPreinitialization() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(BackgroundPreinitializer.class))
			.hasAtLeastOneElementOfType(SwooleServerBackgroundPreinitializer.class);
	}

	@Test
	void startsNoThread() throws Exception {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		new SwooleServerBackgroundPreinitializer().preinitialize();
		Set<String> started = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread))
			.map(Thread::getName)
			.collect(Collectors.toSet());
		assertThat(started).isEmpty();
	}

}
