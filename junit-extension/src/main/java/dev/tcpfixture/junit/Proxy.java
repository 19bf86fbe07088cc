package dev.tcpfixture.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks the {@link TcpProxyExtension} for a running {@link dev.tcpfixture.TcpProxy TcpProxy} on loopback, injected
 * into the annotated field or parameter, closed and verified after the test.
 *
 * <pre>{@code
 * @Test
 * void survivesLatency(@TcpServer("web") FakeTcpServer web, @Proxy(upstream = "web") TcpProxy proxy) {
 *     proxy.add(ProxyFault.latency(Duration.ofMillis(200)));
 *     ... // the client connects to proxy.host(), proxy.port()
 * }
 * }</pre>
 *
 * <p>{@link #upstream()} names a {@link TcpServer @TcpServer} of the same test (or a per-class one it sees); the
 * proxy asks for it at each connection, so the order of the elements does not matter, and the server keeps the
 * options its own element gives it. Without it, set the upstream in the test: {@code proxy.upstream(host, port)}.
 * A name that no {@code @TcpServer} has fails the test after it.
 *
 * <p>Proxies are per test: allowed on instance fields of {@code PER_METHOD} test classes and on parameters of test,
 * {@code @BeforeEach} and {@code @AfterEach} methods; the type must be {@code TcpProxy}. Elements with the same
 * {@linkplain #value() name} in one test share one proxy. After the test the extension closes the proxy and fails
 * the test if it recorded failures ({@code proxy.verify()}), unless {@link #verify()} is {@code false}.
 *
 * @since 0.1
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TcpProxyExtension.class)
public @interface Proxy {

    /**
     * The name of the proxy: elements with the same name in one test share it.
     *
     * @return the name; empty for the default proxy
     */
    String value() default "";

    /**
     * The name of the {@link TcpServer @TcpServer} to forward to ({@code ""}, the default, for none: set it in the
     * test). The unnamed default server cannot be named here: give it a name.
     *
     * @return the name of the upstream server, or empty
     */
    String upstream() default "";

    /**
     * Whether the extension verifies the proxy after the test.
     *
     * @return {@code false} to leave {@code proxy.failures()} to the test
     */
    boolean verify() default true;
}
