package dev.tcpfixture.junit;

import dev.tcpfixture.junit.internal.ExtensionOptions;
import dev.tcpfixture.junit.internal.RegisteredExtensions;
import dev.tcpfixture.junit.internal.ServerLifecycle;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit Jupiter extension that starts, injects, verifies and closes the fake TCP servers asked for with
 * {@link TcpServer @TcpServer}.
 *
 * <p>Register it with {@link WithTcpServer @WithTcpServer} for the defaults, or in a {@code static} field for
 * other options:
 *
 * <pre>{@code
 * @RegisterExtension
 * static TcpServerExtension tcp = TcpServerExtension.builder()
 *         .stepTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <h2>Verification</h2>
 *
 * <p>After each test, the extension closes the test's own servers and then verifies them: unmet script
 * expectations and errors on server threads fail the test, with the transcript in the message. If the test
 * failed already, they are added to its failure as suppressed exceptions. Each failure is reported once.
 *
 * <p>A per-class server is shared by the tests of its class (and of its {@code @Nested} classes). Without
 * parallel execution, the failures it recorded during a test fail that test. Those it recorded outside any test
 * (in {@code @BeforeAll} or {@code @AfterAll} methods, while closing), during an aborted test, or all of them
 * when parallel execution is on, fail the class after all its tests, once the server is closed. An aborted test
 * (for example by an assumption) is not verified; its own servers' failures are dropped.
 *
 * <p>Verification is exact: {@link dev.tcpfixture.FakeTcpServer#failures()} first waits until the server has
 * dealt with everything the clients sent so far, so a client that broke the script and returned at once fails
 * its test every time.
 *
 * <h2>Options</h2>
 *
 * <p>Options set on the {@linkplain #builder() builder} win over the configuration parameters, which win over
 * the defaults of {@link dev.tcpfixture.FakeTcpServer FakeTcpServer}:
 * <ul>
 *   <li>{@value #STEP_TIMEOUT_KEY}: an ISO-8601 duration such as {@code PT2S}</li>
 *   <li>{@value #RECORDING_LIMIT_KEY}: bytes recorded per connection and direction, zero or more</li>
 *   <li>{@value #BIND_ADDRESS_KEY}: {@code 127.0.0.1} (the default), {@code ::1} or {@code localhost}; the
 *   wildcard addresses {@code 0.0.0.0} and {@code ::} only if set explicitly</li>
 * </ul>
 * An invalid value fails every test that asks for a server with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}
 * naming the key and the value.
 *
 * <p>The extension keeps its servers only in the {@link ExtensionContext.Store} of the test or class they
 * belong to, so it works with {@code @Nested} classes and parallel execution; see {@link TcpServer} for which
 * server each element gets, and the rule for static fields under parallel execution. Its only fields are the
 * immutable options.
 *
 * @since 0.1
 */
public final class TcpServerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    /** The configuration parameter for the default step timeout: {@value}. */
    public static final String STEP_TIMEOUT_KEY = "tcpfixture.stepTimeout";

    /** The configuration parameter for the default recording limit: {@value}. */
    public static final String RECORDING_LIMIT_KEY = "tcpfixture.recordingLimit";

    /** The configuration parameter for the default bind address: {@value}. */
    public static final String BIND_ADDRESS_KEY = "tcpfixture.bindAddress";

    private final ServerLifecycle lifecycle;

    /**
     * Creates an extension with the default options, as {@link WithTcpServer @WithTcpServer} does.
     */
    public TcpServerExtension() {
        this(ExtensionOptions.NONE);
    }

    private TcpServerExtension(ExtensionOptions options) {
        this.lifecycle = new ServerLifecycle(options);
    }

    /**
     * Returns a builder for an extension with other options.
     *
     * @return a builder with no options set
     */
    public static Builder builder() {
        return Builder.EMPTY;
    }

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (serves(context)) {
            lifecycle.beforeAll(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (serves(context)) {
            lifecycle.beforeEach(context);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (serves(context)) {
            lifecycle.afterEach(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (serves(context)) {
            lifecycle.afterAll(context);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(TcpServer.class) && serves(extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return lifecycle.resolveParameter(parameterContext, extensionContext);
    }

    /** Whether this extension serves the context, rather than one in a {@code @RegisterExtension} field. */
    private boolean serves(ExtensionContext context) {
        return RegisteredExtensions.serves(this, TcpServerExtension.class, context);
    }

    @Override
    public String toString() {
        return "TcpServerExtension" + lifecycle.options();
    }

    /**
     * An immutable builder of {@link TcpServerExtension}s: every method returns a new builder.
     *
     * @since 0.1
     */
    public static final class Builder {

        static final Builder EMPTY = new Builder(ExtensionOptions.NONE);

        private final ExtensionOptions options;

        private Builder(ExtensionOptions options) {
            this.options = options;
        }

        /**
         * Sets how long a script step waits for the client at most, for every server of the extension.
         *
         * @param timeout a positive duration
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder stepTimeout(Duration timeout) {
            return new Builder(options.withStepTimeout(timeout));
        }

        /**
         * Sets how many bytes each connection records per direction, for every server of the extension.
         *
         * @param bytes the limit, zero or more
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder recordingLimit(int bytes) {
            return new Builder(options.withRecordingLimit(bytes));
        }

        /**
         * Sets the address the servers bind: a loopback address, or a wildcard address ({@code 0.0.0.0},
         * {@code ::}) to listen on every interface.
         *
         * @param address a loopback or wildcard address
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code address} is neither loopback nor wildcard
         */
        public Builder bindAddress(InetAddress address) {
            Objects.requireNonNull(address, "address");
            return new Builder(options.withBindAddress(address));
        }

        /**
         * Makes the servers bind {@code ::1}, the IPv6 loopback address.
         *
         * @return a builder with this option
         */
        public Builder ipv6() {
            return new Builder(options.withBindAddress(ExtensionOptions.IPV6_LOOPBACK));
        }

        /**
         * Builds the extension.
         *
         * @return a new extension with these options
         */
        public TcpServerExtension build() {
            return new TcpServerExtension(options);
        }

        @Override
        public String toString() {
            return "TcpServerExtension.Builder" + options;
        }
    }
}
