package dev.tcpfixture.junit;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.internal.ExtensionOptions;
import dev.tcpfixture.junit.internal.RegisteredExtensions;
import dev.tcpfixture.junit.internal.ServerLifecycle;
import dev.tcpfixture.junit.internal.ServerOption;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
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
 * <p>{@link TcpServer @TcpServer} registers it with the default options, on any field or parameter, and so does
 * {@link WithTcpServer @WithTcpServer} on a class. For other options, register it in a {@code static} field (the
 * one with the default options then steps aside; at most one such field per class):
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
 * expectations, scripts queued for connections that never came (unless allowed: {@code allowUnusedScripts}) and
 * errors on server threads fail the test, with the transcript in the message (bounded: at most 20 failures
 * listed, transcripts together at most about 64 KiB). If the test
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
 * <p>Every option of {@link dev.tcpfixture.FakeTcpServer.Builder FakeTcpServer.Builder} can be set for all servers
 * of the extension, on the {@linkplain #builder() builder} or as a configuration parameter (in
 * {@code junit-platform.properties}, say), and for one server on its {@link TcpServer @TcpServer} element. The
 * element's attributes win over the builder's options, which win over the configuration parameters, which win
 * over the defaults of {@code FakeTcpServer}:
 * <ul>
 *   <li>{@value #BIND_ADDRESS_KEY}: an address literal, {@code 127.0.0.1} (the default) or {@code ::1}, or
 *   {@code localhost}; a wildcard address ({@code 0.0.0.0}, {@code ::}) to listen on every interface</li>
 *   <li>{@value #STEP_TIMEOUT_KEY}: an ISO-8601 duration such as {@code PT2S}</li>
 *   <li>{@value #RECORDING_LIMIT_KEY}: bytes recorded per connection and direction</li>
 *   <li>{@value #LINE_LIMIT_KEY}: the longest line a step reads, in bytes</li>
 *   <li>{@value #CHARSET_KEY}: the name of the charset of text, such as {@code UTF-8} (the default)</li>
 *   <li>{@value #BACKLOG_KEY}: the accept backlog</li>
 *   <li>{@value #MODE_KEY}: the connection mode servers start in, such as {@code ACCEPT} (the default)</li>
 *   <li>{@value #ALLOW_UNUSED_SCRIPTS_KEY}: {@code true} to allow queued scripts that no connection took (by
 *   default they fail the test)</li>
 *   <li>{@value #TLS_KEY}: {@code true} to make every server speak TLS with the default certificate, as
 *   {@code FakeTcpServer.Builder.tls()} (needs {@code dev.tcpfixture:tcpfixture-tls})</li>
 * </ul>
 *
 * <p>The extension only parses the text of a value; {@code FakeTcpServer.Builder} validates it, and nothing else
 * does. A value that does not parse, or that the builder rejects, fails every test that asks for a server with
 * an {@link org.junit.jupiter.api.extension.ExtensionConfigurationException ExtensionConfigurationException}
 * naming the configuration parameter (or the {@code @TcpServer} attribute and its element) and the value, with the
 * builder's message. Every configuration parameter is checked, even one that the builder or the element
 * overrides. The parameters {@code tcpfixture.stepTimeout}, {@code tcpfixture.recordingLimit} and
 * {@code tcpfixture.bindAddress} of earlier versions fail with their new names.
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

    /** The configuration parameter for the bind address of every server: {@value}. */
    public static final String BIND_ADDRESS_KEY = "tcpfixture.server.bindAddress";

    /** The configuration parameter for the step timeout of every server: {@value}. */
    public static final String STEP_TIMEOUT_KEY = "tcpfixture.server.stepTimeout";

    /** The configuration parameter for the recording limit of every server: {@value}. */
    public static final String RECORDING_LIMIT_KEY = "tcpfixture.server.recordingLimit";

    /** The configuration parameter for the line limit of every server: {@value}. */
    public static final String LINE_LIMIT_KEY = "tcpfixture.server.lineLimit";

    /** The configuration parameter for the charset of every server: {@value}. */
    public static final String CHARSET_KEY = "tcpfixture.server.charset";

    /** The configuration parameter for the accept backlog of every server: {@value}. */
    public static final String BACKLOG_KEY = "tcpfixture.server.backlog";

    /** The configuration parameter for the connection mode every server starts in: {@value}. */
    public static final String MODE_KEY = "tcpfixture.server.mode";

    /** The configuration parameter that allows unused queued scripts on every server: {@value}. */
    public static final String ALLOW_UNUSED_SCRIPTS_KEY = "tcpfixture.server.allowUnusedScripts";

    /** The configuration parameter that makes every server speak TLS (needs {@code tcpfixture-tls}): {@value}. */
    public static final String TLS_KEY = "tcpfixture.server.tls";

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

        private static final InetAddress IPV6_LOOPBACK = ipv6Loopback();

        private final ExtensionOptions options;

        private Builder(ExtensionOptions options) {
            this.options = options;
        }

        /**
         * Sets the address the servers bind: a loopback address, or a wildcard address ({@code 0.0.0.0},
         * {@code ::}) to listen on every interface.
         *
         * @param address a loopback or wildcard address
         * @return a builder with this option
         * @throws IllegalArgumentException as {@link FakeTcpServer.Builder#bindAddress(InetAddress)} does
         */
        public Builder bindAddress(InetAddress address) {
            return with(ServerOption.BIND_ADDRESS, address);
        }

        /**
         * Makes the servers bind {@code ::1}, the IPv6 loopback address, as
         * {@link FakeTcpServer.Builder#ipv6()} does.
         *
         * @return a builder with this option
         */
        public Builder ipv6() {
            return with(ServerOption.BIND_ADDRESS, IPV6_LOOPBACK);
        }

        /**
         * Sets how long a script step waits for the client at most, for every server of the extension.
         *
         * @param timeout a positive duration
         * @return a builder with this option
         * @throws IllegalArgumentException as {@link FakeTcpServer.Builder#stepTimeout(Duration)} does
         */
        public Builder stepTimeout(Duration timeout) {
            return with(ServerOption.STEP_TIMEOUT, timeout);
        }

        /**
         * Sets how many bytes each connection records per direction, for every server of the extension.
         *
         * @param bytes the limit
         * @return a builder with this option
         * @throws IllegalArgumentException as {@link FakeTcpServer.Builder#recordingLimit(int)} does
         */
        public Builder recordingLimit(int bytes) {
            return with(ServerOption.RECORDING_LIMIT, bytes);
        }

        /**
         * Sets the longest line a step reads, in bytes, for every server of the extension.
         *
         * @param bytes the limit
         * @return a builder with this option
         * @throws IllegalArgumentException as {@link FakeTcpServer.Builder#lineLimit(int)} does
         */
        public Builder lineLimit(int bytes) {
            return with(ServerOption.LINE_LIMIT, bytes);
        }

        /**
         * Sets the charset of text sent and received, for every server of the extension.
         *
         * @param charset the charset
         * @return a builder with this option
         * @throws IllegalArgumentException as {@link FakeTcpServer.Builder#charset(Charset)} does
         */
        public Builder charset(Charset charset) {
            return with(ServerOption.CHARSET, charset);
        }

        /**
         * Sets the accept backlog of every server of the extension.
         *
         * @param backlog the backlog
         * @return a builder with this option
         * @throws IllegalArgumentException as {@link FakeTcpServer.Builder#backlog(int)} does
         */
        public Builder backlog(int backlog) {
            return with(ServerOption.BACKLOG, backlog);
        }

        /**
         * Sets the connection mode every server of the extension starts in; {@code @TcpServer(mode = ...)} wins.
         *
         * @param mode the mode
         * @return a builder with this option
         */
        public Builder mode(ConnectionMode mode) {
            return with(ServerOption.MODE, mode);
        }

        /**
         * Allows scripts queued with {@link FakeTcpServer#enqueue(dev.tcpfixture.Script)} that no connection took,
         * on every server of the extension, as {@link FakeTcpServer.Builder#allowUnusedScripts()}; by default they
         * fail the test.
         *
         * @return a builder with this option
         */
        public Builder allowUnusedScripts() {
            return with(ServerOption.ALLOW_UNUSED_SCRIPTS, Boolean.TRUE);
        }

        /**
         * Makes every server of the extension speak TLS from the first byte with the default certificate, as
         * {@link FakeTcpServer.Builder#tls()} (needs {@code dev.tcpfixture:tcpfixture-tls}).
         *
         * @return a builder with this option
         */
        public Builder tls() {
            return with(ServerOption.TLS, Boolean.TRUE);
        }

        private Builder with(ServerOption option, Object value) {
            return new Builder(options.with(option, Objects.requireNonNull(value, option.optionName())));
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

        private static InetAddress ipv6Loopback() {
            try {
                return InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    1});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
