package dev.tcpfixture.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fakes a host name for the test: while it runs, the JVM resolves {@link #name()} to the loopback address of the
 * fake server named {@link #server()} (the name given in {@link TcpServer @TcpServer}), so that client code with a
 * host name of its own reaches the fake server (with the server's port):
 *
 * <pre>{@code
 * @Test
 * @FakeHost(name = "data.pr4e.org", server = "web")
 * void fetches(@TcpServer("web") FakeTcpServer server) throws IOException {
 *     String response = new HttpFetcher("data.pr4e.org", server.port(), 2_000).fetch("http://data.pr4e.org/");
 *     ...
 * }
 * }</pre>
 *
 * <p>On a test method the name is faked for that test; on a test class (or an enclosing class) for each of its
 * tests, with each test's own server; a method's fake of a name replaces its class's. The fake ends after the
 * test, whatever happened. It holds from just before the test's {@code @BeforeEach} methods to after its
 * {@code @AfterEach} methods, on a class as on a method: not in {@code @BeforeAll} or {@code @AfterAll} methods,
 * static initialisers, or the test class's constructor and field initialisers, where the name resolves as without
 * the annotation (for a name needed there, register it with {@code dev.tcpfixture.names.FakeHosts} yourself).
 *
 * <p>It needs the module {@code dev.tcpfixture:tcpfixture-names} on the test class path from the start of the JVM,
 * and Java 21 or newer; otherwise the test fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException} that
 * says which. Tests running at the same time may fake the same name identically (they share it); a test that
 * fakes a name differently from one running at the same time fails. Its lookups are counted by
 * {@code dev.tcpfixture.names.FakeHosts.lookupCount(name)}; that class also fakes names with several addresses
 * or answers that change from lookup to lookup.
 *
 * <p>The annotation registers the {@link TcpServerExtension}.
 *
 * @see UnknownHost
 * @since 0.1
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(FakeHost.List.class)
@ExtendWith(TcpServerExtension.class)
public @interface FakeHost {

    /**
     * The host name to fake, such as {@code data.pr4e.org}; names compare without case.
     *
     * @return the host name
     */
    String name();

    /**
     * The name of the server it resolves to, as in {@link TcpServer#value() @TcpServer("web")}; empty (the
     * default) for the default server. The server must be one the test uses: a field, or a parameter of the test
     * method (which is then started before the test's {@code @BeforeEach} methods rather than when it is resolved).
     *
     * @return the server's name
     */
    String server() default "";

    /**
     * How long each lookup takes, as an ISO-8601 duration such as {@code PT2S}: a slow name server; empty (the
     * default) for at once.
     *
     * @return the delay
     */
    String delay() default "";

    /**
     * Several {@link FakeHost @FakeHost} on one element.
     *
     * @since 0.1
     */
    @Target({ElementType.METHOD, ElementType.TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @ExtendWith(TcpServerExtension.class)
    @interface List {

        /**
         * The fakes.
         *
         * @return the fakes
         */
        FakeHost[] value();
    }
}
