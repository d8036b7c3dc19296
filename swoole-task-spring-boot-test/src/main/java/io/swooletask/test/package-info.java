/**
 * The test kit: {@link io.swooletask.test.SwooleTestClient}, a client that frames its
 * messages as the application's {@code swoole.server.*} settings say, and
 * {@link io.swooletask.test.LocalSwooleServerPort @LocalSwooleServerPort}. With this
 * module on the class path, a {@code @SpringBootTest} binds the server to a random port
 * unless the test sets {@code swoole.server.port} itself, and a {@code SwooleTestClient}
 * is ready to {@code @Autowired}.
 */
@NullMarked
package io.swooletask.test;

import org.jspecify.annotations.NullMarked;
