package dev.tcpfixture;

import dev.tcpfixture.internal.DefaultTlsMaterial;
import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.internal.ServerEngine;
import dev.tcpfixture.internal.ServerSettings;
import dev.tcpfixture.internal.TlsSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real TCP server on loopback, run in the test's own process, that does what the test scripts: the other
 * end for testing TCP client code.
 *
 * <pre>{@code
 * try (FakeTcpServer server = FakeTcpServer.start()) {
 *     server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
 *
 *     String answer = new PingClient(server.host(), server.port()).ping();
 *
 *     assertEquals("PONG", answer);
 *     server.verify();
 * }
 * }</pre>
 *
 * <p>Each accepted connection runs the next {@linkplain #enqueue(Script) queued script}, or the
 * {@linkplain #defaultScript(Script) default script} once the queue is empty, on a thread of its own. Every
 * connection is recorded; {@link #takeConnection(Duration)} hands them out in order. The
 * {@linkplain #mode(ConnectionMode) connection mode} makes the port refuse connections, let connects time
 * out, or close and reset them at once, while the port stays the same.
 *
 * <p>{@link #verify()} fails on every unmet expectation, on every exception on a server thread and, unless
 * the server was built with {@link Builder#allowUnusedScripts()}, on queued scripts that no connection took.
 * Its message is bounded whatever the conversations were (see the {@linkplain dev.tcpfixture package}).
 *
 * <p>{@link #close()} ends every connection and thread of the server; it is idempotent. A closed server takes
 * no more scripts ({@link IllegalStateException}). Input that could never work is rejected at once with
 * {@link IllegalArgumentException}: a negative timeout, an option out of range, a script that expects a line
 * longer than the line limit.
 *
 * @since 0.1
 */
public final class FakeTcpServer implements AutoCloseable {

    /** The step timeout unless configured: how long a step waits for the client. */
    public static final Duration DEFAULT_STEP_TIMEOUT = ServerSettings.DEFAULT_STEP_TIMEOUT;

    /** The recording limit unless configured: bytes kept per connection and direction. */
    public static final int DEFAULT_RECORDING_LIMIT = ServerSettings.DEFAULT_RECORDING_LIMIT;

    /** The line limit unless configured: the longest line a step reads, in bytes. */
    public static final int DEFAULT_LINE_LIMIT = ServerSettings.DEFAULT_LINE_LIMIT;

    /** The accept backlog unless configured. */
    public static final int DEFAULT_BACKLOG = ServerSettings.DEFAULT_BACKLOG;

    private final ServerEngine engine;
    private final TlsClient tlsClient; // null unless built with tls() or startTls() without arguments

    private FakeTcpServer(ServerEngine engine) {
        this.engine = engine;
        TlsSettings tls = engine.settings().tls();
        this.tlsClient = tls == null || tls.trustedAuthorities() == null ? null
                : new TlsClient(tls.trustedAuthorities(), DefaultTlsMaterial.provider()::clientKeyManager);
    }

    /**
     * Starts a server with default options on 127.0.0.1 and an ephemeral port.
     *
     * @return the running server
     * @throws java.io.UncheckedIOException if no port can be bound
     */
    public static FakeTcpServer start() {
        return builder().start();
    }

    /**
     * Returns a builder for a server with other options.
     *
     * @return a builder with default options
     */
    public static Builder builder() {
        return Builder.DEFAULTS;
    }

    // ---- where ----

    /**
     * Returns the port the server holds, the same for its whole life, whatever the mode.
     *
     * @return the ephemeral port
     */
    public int port() {
        return engine.port();
    }

    /**
     * Returns the host clients connect to, as an address literal: {@code "127.0.0.1"} or {@code "::1"}.
     *
     * @return the host to connect to
     */
    public String host() {
        return Messages.literal(engine.address());
    }

    /**
     * Returns the address clients connect to.
     *
     * @return the server's address and port
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(engine.address(), engine.port());
    }

    /**
     * Returns {@code host:port}, with brackets around an IPv6 host, ready for a URL.
     *
     * @return the authority of the server
     */
    public String authority() {
        return Messages.address(address());
    }

    // ---- what it does ----

    /**
     * Queues a script: each connection accepted in mode {@link ConnectionMode#ACCEPT} takes the next queued
     * script, in order. A queued script that no connection takes is a failure, reported by {@link #failures()}
     * and {@link #verify()}, unless the server was built with {@link Builder#allowUnusedScripts()}.
     *
     * @param script the script
     * @return this server
     * @throws IllegalArgumentException if the script expects a line longer than the server's
     *     {@linkplain Builder#lineLimit(int) line limit}: no client could send it
     * @throws IllegalStateException if the server is closed
     */
    public FakeTcpServer enqueue(Script script) {
        Objects.requireNonNull(script, "script");
        engine.enqueue(script.steps());
        return this;
    }

    /**
     * Sets the script for connections that find the queue empty; unless set, the empty script, which reads
     * and records until the client closes.
     *
     * @param script the script
     * @return this server
     * @throws IllegalArgumentException if the script expects a line longer than the server's
     *     {@linkplain Builder#lineLimit(int) line limit}: no client could send it
     * @throws IllegalStateException if the server is closed
     */
    public FakeTcpServer defaultScript(Script script) {
        Objects.requireNonNull(script, "script");
        engine.defaultScript(script.steps());
        return this;
    }

    /**
     * Returns how many queued scripts no connection has taken yet.
     *
     * @return the number of waiting scripts
     */
    public int queuedScripts() {
        return engine.queuedScripts();
    }

    /**
     * Switches how new connection attempts are treated. A client whose {@code connect} returned before this
     * call is served in the old mode (the server accepts what the kernel completed before it switches); every
     * later one in the new mode. Open connections are not affected.
     *
     * @param mode the new mode
     * @return this server
     * @throws IllegalStateException if the server is closed
     */
    public FakeTcpServer mode(ConnectionMode mode) {
        Objects.requireNonNull(mode, "mode");
        engine.mode(mode);
        return this;
    }

    /**
     * Returns the current connection mode.
     *
     * @return the mode
     */
    public ConnectionMode mode() {
        return engine.mode();
    }

    // ---- what happened ----

    /**
     * Waits for the next connection not taken yet and returns it.
     *
     * @param timeout how long to wait at most; zero takes a connection only if one is there already
     * @return the connection, in order of acceptance
     * @throws AssertionError if no connection came within {@code timeout}
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public RecordedConnection takeConnection(Duration timeout) {
        ServerSettings.requireNotNegative(timeout, "timeout");
        try {
            RecordedConnection connection = engine.takeConnection(timeout);
            if (connection == null) {
                throw new AssertionError("Expected a connection to " + name() + " within "
                        + Messages.duration(timeout) + ", but none came (mode " + engine.mode() + ", "
                        + Messages.count(connectionCount(), "connection", "connections") + " so far, all taken)");
            }
            return connection;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Expected a connection to " + name() + ", but the waiting thread was "
                    + "interrupted", e);
        }
    }

    /**
     * Waits up to the server's step timeout for the next connection not taken yet.
     *
     * @return the connection
     * @throws AssertionError if no connection came in time
     */
    public RecordedConnection takeConnection() {
        return takeConnection(engine.settings().stepTimeout());
    }

    /**
     * Waits until {@code condition} holds, checking it again whenever something is recorded (a connection
     * accepted, bytes received or sent, a close, a failure), not on a clock. For example
     * {@code server.awaitUntil(() -> server.connectionCount() == 3, Duration.ofSeconds(2))}.
     *
     * @param condition the condition, usually on the server's record
     * @param timeout how long to wait at most; zero checks the condition once
     * @return {@code true} if the condition held in time, {@code false} on timeout
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        ServerSettings.requireNotNegative(timeout, "timeout");
        return engine.awaitUntil(condition, timeout);
    }

    /**
     * Waits until the server is quiet: every connection the kernel has completed is accepted, and every
     * connection has processed what its client delivered (see {@link #failures()}). Then the record holds
     * everything the clients did before this call, exactly: assertions on it need no grace period. The
     * server's own later actions (a pause, then a reply) are not waited for. Bounded by the step timeout;
     * called from a step, it does not wait for that step's own connection.
     *
     * @return {@code true} if the server became quiet in time, {@code false} if a connection was still busy
     */
    public boolean awaitQuiet() {
        return engine.awaitQuiet();
    }

    /**
     * Returns every connection so far, in order of acceptance, taken or not.
     *
     * @return an immutable snapshot
     */
    public List<RecordedConnection> connections() {
        return engine.connections();
    }

    /**
     * Returns how many connections the server accepted so far.
     *
     * @return the count
     */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /**
     * Returns every failure recorded so far: unmet script expectations and exceptions on server threads, and,
     * unless the server was built with {@link Builder#allowUnusedScripts()}, the queued scripts that no
     * connection took (one failure with connection id 0 whose message starts {@code expected a connection for
     * each queued script, but }; the same instance while the unused scripts stay the same).
     *
     * <p>The answer is exact: first the server becomes quiet. Every connection the kernel has completed is
     * accepted, and every connection has processed everything its client delivered to the kernel: it waits
     * for input with none pending, or has ended; bytes a step took count as unprocessed until that step has
     * ended or waits for more. (On loopback the kernel delivers what a client sends before the client's
     * {@code write} or {@code connect} returns; the accept queue must not overflow, see
     * {@link Builder#backlog(int)}.) So whatever a client did before this call (connect, write,
     * close, reset) is judged, every time. The wait is bounded by the step timeout; if the server is not quiet
     * by then (a client that keeps sending, a handler that does not return), a failure says so. Called from a
     * step ({@code handle(...)}), it does not wait for that step's own connection.
     *
     * @return an immutable snapshot
     */
    public List<ScriptFailure> failures() {
        return engine.failures();
    }

    /**
     * Throws if any failure was recorded, with the failures and their transcripts in the message. Exact, as
     * {@link #failures()}: it first waits, at most the step timeout, until the server is quiet.
     *
     * <p>The message is bounded whatever the conversations were: it lists at most 20 failures (the others are
     * counted; all of them: {@link #failures()}), and shows each transcript shortened, together at most about
     * 64 KiB (the whole record: {@link #transcript()}, {@link RecordedConnection#received()}). The causes of the
     * listed failures are attached as suppressed exceptions.
     *
     * @throws AssertionError if there is at least one failure
     */
    public void verify() {
        List<ScriptFailure> failures = failures();
        if (failures.isEmpty()) {
            return;
        }
        throw Messages.failuresError(name(), "server", failures);
    }

    /** Returns {@code fake TCP server 127.0.0.1:4000}, as messages name the server. */
    private String name() {
        return Messages.server(address());
    }

    /**
     * Returns the transcripts of all connections so far.
     *
     * @return one transcript after the other, or a note that there were no connections
     */
    public String transcript() {
        return Messages.transcripts(connections(), authority());
    }

    /**
     * Returns how many threads of this server are alive: the acceptor, one per open connection, and threads
     * that finished a connection in the last second and wait to take the next one. Zero after
     * {@link #close()}.
     *
     * @return the live thread count
     */
    public int liveThreadCount() {
        return engine.liveThreadCount();
    }

    /**
     * Tells whether the server speaks TLS from the first byte: built with
     * {@link Builder#tls(SSLContext) tls(...)}.
     *
     * @return {@code true} for a TLS server
     */
    public boolean isTls() {
        return engine.settings().tls() != null && engine.settings().tls().fromStart();
    }

    /**
     * Returns what clients need to trust this server: an {@code SSLContext}, {@code SSLSocketFactory} and
     * {@code X509TrustManager} for JVM clients, and a PEM file and PKCS#12 trust store for the others, created on
     * the first request and deleted by {@link #close()}. Only for a server built with {@link Builder#tls()} or
     * {@link Builder#startTls()}, whose certificate the library made; with your own {@code SSLContext} you hold the
     * trust already.
     *
     * @return the client trust, the same on every call
     * @throws IllegalStateException if the server was not built with {@code tls()} or {@code startTls()}
     */
    public TlsClient tlsClient() {
        if (tlsClient == null) {
            throw new IllegalStateException(engine.settings().tls() == null
                    ? "the server does not speak TLS: build it with tls() (or startTls() for STARTTLS)"
                    : "the server uses your own SSLContext, whose trust the library does not know: "
                            + "tlsClient() is for servers built with tls() or startTls() without arguments");
        }
        return tlsClient;
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return {@code true} once closed
     */
    public boolean isClosed() {
        return engine.isClosed();
    }

    /**
     * Stops the server: accepts what the kernel has completed and releases the port, waits (at most the step
     * timeout) until the server is quiet, closes every connection and waits for every thread of the server to
     * end. Failures that closing brings out (a step still waiting for the client) are recorded for
     * {@link #verify()}. Calling it again does nothing more; a call while another one is closing the server
     * waits for that one to finish. Called from a step, it cannot wait for that step's own thread, which ends
     * when the step returns.
     */
    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            if (tlsClient != null) {
                tlsClient.close();
            }
        }
    }

    @Override
    public String toString() {
        return "FakeTcpServer[" + authority() + ", mode " + engine.mode() + ", "
                + Messages.count(connectionCount(), "connection", "connections") + "]";
    }

    /**
     * An immutable builder of {@link FakeTcpServer}s: every method returns a new builder. Each option is
     * validated by its method, at once: an invalid value throws {@link IllegalArgumentException} (a
     * {@code null} one {@link NullPointerException}) there, never later when the server starts.
     *
     * @since 0.1
     */
    public static final class Builder {

        static final Builder DEFAULTS = new Builder(ServerSettings.DEFAULTS);

        private final ServerSettings settings;

        private Builder(ServerSettings settings) {
            this.settings = settings;
        }

        /**
         * Binds to {@code ::1} instead of {@code 127.0.0.1}.
         *
         * @return a builder with this option
         */
        public Builder ipv6() {
            try {
                return bindAddress(InetAddress.getByAddress("localhost", new byte[] {0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0, 0, 0, 1}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Binds to {@code address}: a loopback address, or, only if you mean to listen on every interface, a
         * wildcard address ({@code 0.0.0.0}, {@code ::}). Clients then connect to loopback.
         *
         * @param address the address to bind
         * @return a builder with this option
         * @throws IllegalArgumentException if the address is neither loopback nor wildcard
         */
        public Builder bindAddress(InetAddress address) {
            Objects.requireNonNull(address, "address");
            if (!address.isLoopbackAddress() && !address.isAnyLocalAddress()) {
                throw new IllegalArgumentException("a fake TCP server binds a loopback address (127.0.0.1, ::1) "
                        + "or, if meant, a wildcard address (0.0.0.0, ::), not " + address.getHostAddress());
            }
            return new Builder(settings.withBindAddress(address));
        }

        /**
         * Sets how long a step waits for the client at most; default {@link #DEFAULT_STEP_TIMEOUT}.
         *
         * @param timeout a positive duration
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder stepTimeout(Duration timeout) {
            return new Builder(settings.withStepTimeout(timeout));
        }

        /**
         * Sets how many bytes each connection records per direction; beyond it bytes are counted only.
         * Default {@link #DEFAULT_RECORDING_LIMIT}.
         *
         * @param bytes the limit, zero or more
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder recordingLimit(int bytes) {
            return new Builder(settings.withRecordingLimit(bytes));
        }

        /**
         * Sets the longest line a step reads, in bytes; a longer one fails the step, and a script that expects
         * a longer line cannot be queued. Default {@link #DEFAULT_LINE_LIMIT}.
         *
         * @param bytes the limit, at least 1
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code bytes} is less than 1
         */
        public Builder lineLimit(int bytes) {
            return new Builder(settings.withLineLimit(bytes));
        }

        /**
         * Sets the charset of text sent and received; default UTF-8. Lines end with the bytes {@code \r\n}
         * or {@code \n}, so the charset must encode these characters (and ASCII) as single bytes: UTF-8,
         * ISO-8859-1, US-ASCII, windows-1252 and the like, not UTF-16.
         *
         * @param charset the charset
         * @return a builder with this option
         * @throws IllegalArgumentException if the charset cannot encode, or does not encode line endings as the
         *     single bytes {@code \r} and {@code \n}
         */
        public Builder charset(Charset charset) {
            return new Builder(settings.withCharset(charset));
        }

        /**
         * Sets the accept backlog; default {@link #DEFAULT_BACKLOG}. Exact verification needs every connection
         * the clients complete to wait in the kernel's accept queue until the server accepts it: with more than
         * {@code backlog} connects at once before the server accepts, Linux drops the surplus handshakes (the
         * client sees its connect succeed, the server sees no connection until the client retransmits), so keep
         * it above the largest burst of connects a test makes.
         *
         * @param backlog at least 1
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code backlog} is less than 1
         */
        public Builder backlog(int backlog) {
            return new Builder(settings.withBacklog(backlog));
        }

        /**
         * Sets the connection mode the server starts in; default {@link ConnectionMode#ACCEPT}.
         *
         * @param mode the mode
         * @return a builder with this option
         */
        public Builder mode(ConnectionMode mode) {
            Objects.requireNonNull(mode, "mode");
            return new Builder(settings.withInitialMode(mode));
        }

        /**
         * Lets scripts queued with {@link FakeTcpServer#enqueue(Script)} go unused. By default
         * {@link FakeTcpServer#failures()} and {@link FakeTcpServer#verify()} report every queued script that
         * no connection took (a retry that never came, a client that connected fewer times than the test
         * expects), as one failure that names them.
         *
         * @return a builder with this option
         */
        public Builder allowUnusedScripts() {
            return new Builder(settings.withAllowUnusedScripts(true));
        }

        /**
         * Makes the server speak TLS from the first byte with the library's default certificate: one for
         * {@code localhost}, {@code 127.0.0.1} and {@code ::1}, issued by a test certificate authority created in
         * memory once per JVM. Clients get the trust from {@link FakeTcpServer#tlsClient()}. Otherwise as
         * {@link #tls(SSLContext)}.
         *
         * <p>The certificates come from the module {@code dev.tcpfixture:tcpfixture-tls}, found through
         * {@link java.util.ServiceLoader} ({@link dev.tcpfixture.spi.TlsMaterialProvider}); the core has no
         * dependency on it.
         *
         * @return a builder with this option (it replaces {@code tls(...)} and {@code startTls(...)})
         * @throws IllegalStateException if {@code tcpfixture-tls} is not on the class path or module path
         */
        public Builder tls() {
            return new Builder(settings.withTls(DefaultTlsMaterial.settings(true)));
        }

        /**
         * Makes the server speak TLS from the first byte, as {@link #tls()}, but with a faulty certificate that a
         * client must refuse: expired, not yet valid, for the wrong host, from an untrusted issuer or self-signed
         * (see {@link TlsFault} for what a JDK client sees). {@link FakeTcpServer#tlsClient()} still gives the trust
         * of the normal authority, so a client that uses it fails the handshake, and the transcript records the
         * failure.
         *
         * @param fault what is to be wrong with the server's certificate
         * @return a builder with this option (it replaces {@code tls(...)} and {@code startTls(...)})
         * @throws NullPointerException if {@code fault} is null
         * @throws IllegalStateException if {@code tcpfixture-tls} is not on the class path or module path
         */
        public Builder tls(TlsFault fault) {
            Objects.requireNonNull(fault, "fault");
            return new Builder(settings.withTls(DefaultTlsMaterial.settings(fault)));
        }

        /**
         * Gives the server the library's default certificate, as {@link #tls()}, for {@link Script#startTls()}
         * steps: connections start in plaintext. Clients get the trust from {@link FakeTcpServer#tlsClient()}.
         *
         * @return a builder with this option (it replaces {@code tls(...)} and {@code startTls(...)})
         * @throws IllegalStateException if {@code tcpfixture-tls} is not on the class path or module path
         */
        public Builder startTls() {
            return new Builder(settings.withTls(DefaultTlsMaterial.settings(false)));
        }

        /**
         * Makes the server speak TLS from the first byte, with the context's key and its default parameters.
         * Scripts are written against the plaintext, and the recording holds the plaintext both ways; each
         * connection first runs the handshake (bounded by the step timeout), and the transcript notes it
         * (protocol, cipher suite, the SNI host name the client sent, the ALPN protocols it offered, the client
         * certificate's subject) or its failure with the reason, which ends the connection.
         *
         * @param context an initialized {@code SSLContext} whose key manager holds the server's key and certificate
         * @return a builder with this option
         * @throws IllegalArgumentException if the context is not initialized
         * @see #tls(SSLContext, SSLParameters)
         */
        public Builder tls(SSLContext context) {
            return new Builder(settings.withTls(TlsSettings.of(context, null, true)));
        }

        /**
         * Makes the server speak TLS from the first byte, as {@link #tls(SSLContext)}, with {@code parameters}:
         * the protocols and cipher suites to enable, whether a client certificate is needed or wanted (mutual
         * TLS), and the ALPN protocols the server may choose, in order of preference (the first one the client
         * offers is chosen; a client that offers only others fails the handshake; with none named, ALPN is
         * ignored). The parameters are copied.
         *
         * @param context an initialized {@code SSLContext} whose key manager holds the server's key and certificate
         * @param parameters the parameters
         * @return a builder with this option
         * @throws IllegalArgumentException if the context is not initialized, or the parameters name a protocol or
         *     cipher suite it does not support, or enable none
         */
        public Builder tls(SSLContext context, SSLParameters parameters) {
            Objects.requireNonNull(parameters, "parameters");
            return new Builder(settings.withTls(TlsSettings.of(context, parameters, true)));
        }

        /**
         * Gives the server TLS settings for {@link Script#startTls()} steps: connections start in plaintext and
         * upgrade to TLS in mid-conversation (SMTP {@code STARTTLS}, the Postgres {@code SSLRequest}, FTP
         * {@code AUTH TLS}). Otherwise as {@link #tls(SSLContext)}.
         *
         * @param context an initialized {@code SSLContext} whose key manager holds the server's key and certificate
         * @return a builder with this option (it replaces {@code tls(...)})
         * @throws IllegalArgumentException if the context is not initialized
         */
        public Builder startTls(SSLContext context) {
            return new Builder(settings.withTls(TlsSettings.of(context, null, false)));
        }

        /**
         * Gives the server TLS settings for {@link Script#startTls()} steps, with {@code parameters} as in
         * {@link #tls(SSLContext, SSLParameters)}; connections start in plaintext.
         *
         * @param context an initialized {@code SSLContext} whose key manager holds the server's key and certificate
         * @param parameters the parameters
         * @return a builder with this option (it replaces {@code tls(...)})
         * @throws IllegalArgumentException as {@link #tls(SSLContext, SSLParameters)}
         */
        public Builder startTls(SSLContext context, SSLParameters parameters) {
            Objects.requireNonNull(parameters, "parameters");
            return new Builder(settings.withTls(TlsSettings.of(context, parameters, false)));
        }

        /**
         * Sets whether the TLS server asks the client for a certificate (mutual TLS), over what its TLS options say:
         * with {@link #tls()} or {@link #startTls()}, the library's authority is trusted for client certificates, and
         * {@link TlsClient#sslContextWithClientCertificate(String)} gives a client one. The transcript names the
         * certificate the client presented. Needs {@code tls(...)} or {@code startTls(...)}, in either order.
         *
         * <p>{@link ClientAuth#REQUIRE} without a client certificate: the server refuses the handshake with the alert
         * {@code bad_certificate}, and closes only once the client has closed (or the step timeout passed), so the
         * alert always arrives. A JDK client sees {@code javax.net.ssl.SSLHandshakeException: Received fatal alert:
         * bad_certificate}: under TLS 1.2 from {@code startHandshake()}; under TLS 1.3, whose client finishes its
         * handshake before the server judges its certificate, from its first read after the handshake, its writes
         * before that succeeding. Its {@code connect} succeeds, timed or not. The transcript notes "TLS handshake
         * failed: Empty client certificate chain".
         *
         * @param clientAuth whether to ask for a client certificate
         * @return a builder with this option
         */
        public Builder tlsClientAuth(ClientAuth clientAuth) {
            Objects.requireNonNull(clientAuth, "clientAuth");
            return new Builder(settings.withTlsClientAuth(clientAuth));
        }

        /**
         * Pins the TLS server to the given protocol versions, over what its TLS options say (by default TLS 1.2 and
         * 1.3). Needs {@code tls(...)} or {@code startTls(...)}, in either order.
         *
         * <p>A JDK client that accepts none of them fails its handshake, timed connect or not, with
         * {@code javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version}; the server's transcript
         * notes "TLS handshake failed: The client supported protocol versions [...] are not accepted by server
         * preferences [...]".
         *
         * @param version a version to accept
         * @param moreVersions more versions to accept
         * @return a builder with this option
         * @throws IllegalArgumentException if the server's TLS context supports none of them
         */
        public Builder tlsVersions(TlsVersion version, TlsVersion... moreVersions) {
            Objects.requireNonNull(version, "version");
            EnumSet<TlsVersion> versions = EnumSet.of(version);
            for (TlsVersion more : moreVersions) {
                versions.add(Objects.requireNonNull(more, "moreVersions"));
            }
            return new Builder(settings.withTlsVersions(versions));
        }

        /**
         * Starts a server with these options.
         *
         * @return the running server
         * @throws java.io.UncheckedIOException if the address cannot be bound
         * @throws IllegalStateException if {@link #tlsClientAuth(ClientAuth)} or {@link #tlsVersions(TlsVersion,
         *     TlsVersion...)} is set without {@code tls(...)} or {@code startTls(...)}
         */
        public FakeTcpServer start() {
            List<String> withoutTls = settings.tlsOptionsWithoutTls();
            if (!withoutTls.isEmpty()) {
                throw new IllegalStateException(String.join(" and ", withoutTls) + " need a TLS server: add tls() "
                        + "(or startTls() for STARTTLS) to the builder");
            }
            return new FakeTcpServer(ServerEngine.start(settings));
        }

        @Override
        public String toString() {
            return "FakeTcpServer.Builder" + settings;
        }
    }
}
