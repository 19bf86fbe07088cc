package dev.tcpfixture.junit;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.TlsVersion;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Asks the {@link TcpServerExtension} for a running {@link dev.tcpfixture.FakeTcpServer FakeTcpServer} on
 * loopback, injected into the annotated field or parameter.
 *
 * <p>The annotation registers the extension itself: a field or parameter annotated with {@code @TcpServer} needs
 * nothing else, in any test class.
 *
 * <pre>{@code
 * class GreetingClientTest {
 *
 *     @Test
 *     void readsTheGreeting(@TcpServer FakeTcpServer server) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>It registers the extension with the default options. For other options, register one in a {@code static}
 * {@link org.junit.jupiter.api.extension.RegisterExtension @RegisterExtension} field built with
 * {@link TcpServerExtension#builder()}: the one with default options then steps aside, wherever the field is
 * declared, in that class and its {@code @Nested} classes. At most one such field per class, and not an instance
 * field: two extensions that serve one class fail it with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}.
 *
 * <p>The annotated element may be of type {@link dev.tcpfixture.FakeTcpServer FakeTcpServer}, {@code int} or
 * {@link Integer} (the server's port), or {@link java.net.InetSocketAddress InetSocketAddress} (the address
 * clients connect to). Any other type fails with a
 * {@link org.junit.jupiter.api.extension.ParameterResolutionException ParameterResolutionException} (parameters)
 * or {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}
 * (fields).
 *
 * <h2>Which server</h2>
 *
 * <p>A server is identified by its {@linkplain #value() name} and its scope; every element with the same name
 * in the same scope gets the same server. A field gets a server that lives as long as the instance, or the
 * class, that holds it.
 * <ul>
 *   <li><em>Per test</em>: parameters of test methods, {@code @BeforeEach} and {@code @AfterEach} methods and
 *   of constructors of {@code PER_METHOD} test classes, and instance fields of the instances that are created
 *   for one test: those of {@code PER_METHOD} classes, and of their {@code PER_METHOD} enclosing classes up to
 *   the first {@code PER_CLASS} one. A new server for each test, closed and verified after it.</li>
 *   <li><em>Per class</em>: static fields, parameters of {@code @BeforeAll} and {@code @AfterAll} methods,
 *   instance fields and constructor parameters of {@code @TestInstance(PER_CLASS)} test classes, and instance
 *   fields of the {@code PER_METHOD} enclosing instances that a {@code PER_CLASS} {@code @Nested} class shares
 *   among its tests (their server belongs to the nested class). One server for the class, closed after all
 *   tests of the class. A {@code @Nested} class shares the per-class servers of its enclosing classes: a name
 *   that an enclosing class already uses refers to the enclosing class's server.</li>
 * </ul>
 *
 * <p>A static field is one variable for every class that inherits it, so it holds the server of one class at
 * a time. A test class that runs concurrently ({@code ExecutionMode.CONCURRENT} with parallel execution on)
 * must declare its static {@code @TcpServer} fields itself rather than inherit them, and no class may take a
 * static field while another class that holds it is running; either fails the class with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}.
 *
 * <h2>Options</h2>
 *
 * <p>The attributes other than {@link #value()} and {@link #verify()} set options of the server's
 * {@link dev.tcpfixture.FakeTcpServer.Builder builder}. They win over the options of the extension's builder
 * ({@link TcpServerExtension#builder()}), which win over the configuration parameters (see
 * {@link TcpServerExtension}), which win over the builder's defaults. The extension validates nothing itself:
 * a value the builder rejects fails with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException} that
 * names the attribute and the element, with the builder's message.
 *
 * <p>The first element that asks for a server decides its options; later elements with the same name may leave
 * them at their defaults, but must not ask for different values.
 *
 * @since 0.1
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(TcpServerExtension.class)
public @interface TcpServer {

    /**
     * The value of a number attribute that is not set, so that the extension's option, the configuration
     * parameter or the builder's default applies: {@value}.
     */
    int UNSET = Integer.MIN_VALUE;

    /**
     * Returns the name of the server: elements with different names get different servers. The empty name,
     * the default, names the default server.
     *
     * @return the name of the server
     */
    String value() default "";

    /**
     * Returns whether the server binds {@code ::1} instead of the configured bind address.
     *
     * @return {@code true} for an IPv6 loopback server
     */
    boolean ipv6() default false;

    /**
     * Returns the connection mode the server starts in.
     *
     * @return the initial mode; {@link ConnectionMode#ACCEPT}, the default, leaves it to the extension's option
     *     or the configuration parameter (and is {@code ACCEPT} unless one of them sets another)
     */
    ConnectionMode mode() default ConnectionMode.ACCEPT;

    /**
     * Returns whether the extension fails the test (or, for failures of a per-class server that no single test
     * can be blamed for, the class) when the server recorded failures: unmet script expectations, errors on
     * server threads. Set it to {@code false} to check {@link dev.tcpfixture.FakeTcpServer#failures()} in the
     * test instead.
     *
     * @return {@code true}, the default, to verify the server
     * @see TcpServerExtension
     */
    boolean verify() default true;

    /**
     * Returns whether scripts queued with {@link dev.tcpfixture.FakeTcpServer#enqueue(dev.tcpfixture.Script)} that
     * no connection took are allowed. By default they are failures: a test that queued a script for a retry that
     * never came fails, naming the script.
     *
     * @return {@code true} to allow unused scripts, as
     *     {@link dev.tcpfixture.FakeTcpServer.Builder#allowUnusedScripts()}
     */
    boolean allowUnusedScripts() default false;

    /**
     * Returns whether the server speaks TLS from the first byte, with a certificate for {@code localhost},
     * {@code 127.0.0.1} and {@code ::1} from a test certificate authority; clients take the trust from
     * {@link dev.tcpfixture.FakeTcpServer#tlsClient()}. Needs {@code dev.tcpfixture:tcpfixture-tls} on the test
     * class path (or module path); without it the server fails to start with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}
     * that names it.
     *
     * @return {@code true} for a TLS server, as {@link dev.tcpfixture.FakeTcpServer.Builder#tls()}
     */
    boolean tls() default false;

    /**
     * Returns the fault of the certificate the server presents: set, it makes the server speak TLS from the first
     * byte, as {@link #tls()} (which it implies and wins over), but with a certificate that a client trusting
     * {@link dev.tcpfixture.FakeTcpServer#tlsClient()} must refuse. An array only because an annotation cannot
     * default an enum to none: at most one element, more fails with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}
     * (or {@link org.junit.jupiter.api.extension.ParameterResolutionException ParameterResolutionException} for a
     * parameter) that names the annotated element. Needs {@code dev.tcpfixture:tcpfixture-tls}, as {@link #tls()}.
     *
     * <p>A JDK client (an {@code HttpsURLConnection}, the {@code HttpClient}, or an {@code SSLSocket} with the
     * endpoint identification algorithm {@code "HTTPS"}) that trusts {@code tlsClient().sslContext()} fails the
     * handshake with a {@link javax.net.ssl.SSLHandshakeException SSLHandshakeException}, with the messages and
     * causes given on each {@link TlsFault}:
     * <ul>
     *   <li>{@link TlsFault#EXPIRED} and {@link TlsFault#NOT_YET_VALID}: "PKIX path validation failed: ...
     *   validity check failed", deepest cause a {@link java.security.cert.CertificateExpiredException} or
     *   {@link java.security.cert.CertificateNotYetValidException};</li>
     *   <li>{@link TlsFault#WRONG_HOST}: "No subject alternative names matching IP address 127.0.0.1 found" (to
     *   {@code localhost}: "No subject alternative DNS name matching localhost found."), deepest cause a
     *   {@link java.security.cert.CertificateException}; a bare {@code SSLSocket} without endpoint identification
     *   connects;</li>
     *   <li>{@link TlsFault#UNTRUSTED_ISSUER} and {@link TlsFault#SELF_SIGNED}: "PKIX path building failed: ...
     *   unable to find valid certification path to requested target", deepest cause a
     *   {@link java.security.cert.CertPathBuilderException}.</li>
     * </ul>
     *
     * <p>The server records the refused handshake in its transcript ("TLS handshake failed: ..."), as a note.
     *
     * @return the certificate's fault, or none (the default) for a correct certificate when the server speaks TLS
     * @see dev.tcpfixture.FakeTcpServer.Builder#tls(TlsFault)
     */
    TlsFault[] tlsFault() default {};

    /**
     * Returns whether the TLS server asks the client for a certificate (mutual TLS), as
     * {@link dev.tcpfixture.FakeTcpServer.Builder#tlsClientAuth(ClientAuth)}: clients get one from
     * {@code tlsClient().sslContextWithClientCertificate("alice")}. Needs {@link #tls()} or {@link #tlsFault()};
     * without, the server fails to start with an
     * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}.
     *
     * @return the client authentication; {@link ClientAuth#NONE}, the default, asks for no certificate
     */
    ClientAuth tlsClientAuth() default ClientAuth.NONE;

    /**
     * Returns the protocol versions the TLS server accepts, as
     * {@link dev.tcpfixture.FakeTcpServer.Builder#tlsVersions(TlsVersion, TlsVersion...)}: {@code {TLS_1_2}} pins it
     * to TLS 1.2. Needs {@link #tls()} or {@link #tlsFault()}, as {@link #tlsClientAuth()}.
     *
     * @return the versions; empty, the default, for TLS 1.2 and 1.3
     */
    TlsVersion[] tlsVersions() default {};

    /**
     * Returns how long a step waits for the client at most, as an ISO-8601 duration such as {@code "PT2S"}.
     *
     * @return the step timeout; empty, the default, for the extension's
     * @see dev.tcpfixture.FakeTcpServer.Builder#stepTimeout(java.time.Duration)
     */
    String stepTimeout() default "";

    /**
     * Returns how many bytes each connection records per direction.
     *
     * @return the recording limit; {@link #UNSET}, the default, for the extension's
     * @see dev.tcpfixture.FakeTcpServer.Builder#recordingLimit(int)
     */
    int recordingLimit() default UNSET;

    /**
     * Returns the longest line a step reads, in bytes.
     *
     * @return the line limit; {@link #UNSET}, the default, for the extension's
     * @see dev.tcpfixture.FakeTcpServer.Builder#lineLimit(int)
     */
    int lineLimit() default UNSET;

    /**
     * Returns the name of the charset of text sent and received, such as {@code "ISO-8859-1"}.
     *
     * @return the charset's name; empty, the default, for the extension's
     * @see dev.tcpfixture.FakeTcpServer.Builder#charset(java.nio.charset.Charset)
     */
    String charset() default "";

    /**
     * Returns the accept backlog of the server.
     *
     * @return the backlog; {@link #UNSET}, the default, for the extension's
     * @see dev.tcpfixture.FakeTcpServer.Builder#backlog(int)
     */
    int backlog() default UNSET;
}
