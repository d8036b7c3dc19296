package io.swooletask.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The application the {@code @SpringBootTest}s of this module start: {@link TestHandlers}
 * with the settings of {@code application.yml} and those each test adds.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(TestHandlers.class)
class TestApplication {

}
