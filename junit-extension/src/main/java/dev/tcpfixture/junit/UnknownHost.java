package dev.tcpfixture.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fakes host names that do not exist, for the test: a lookup of any of them throws
 * {@link java.net.UnknownHostException} (at once, or after {@link #delay()}), and never reaches a real resolver.
 *
 * <pre>{@code
 * @Test
 * @UnknownHost("db.internal")
 * void reportsAMissingHost() {
 *     assertThrows(UnknownHostException.class, () -> new HttpFetcher("db.internal", 80, 2_000).fetch("/"));
 * }
 * }</pre>
 *
 * <p>Where it applies, what it needs and how it fails are as for {@link FakeHost @FakeHost}: also on a class, the
 * names are unknown only from just before each test's {@code @BeforeEach} methods to after its {@code @AfterEach}
 * methods, not in {@code @BeforeAll} or {@code @AfterAll} methods, static initialisers, or the test class's
 * constructor and field initialisers.
 *
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TcpServerExtension.class)
public @interface UnknownHost {

    /**
     * The host names that do not exist.
     *
     * @return the host names
     */
    String[] value();

    /**
     * How long each lookup takes before it fails, as an ISO-8601 duration such as {@code PT2S}; empty (the default)
     * for at once.
     *
     * @return the delay
     */
    String delay() default "";
}
