package dev.tcpfixture;

import dev.tcpfixture.internal.Messages;
import dev.tcpfixture.internal.ProxyEngine;
import dev.tcpfixture.internal.ProxySettings;
import dev.tcpfixture.internal.ServerSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A TCP proxy on loopback, run in the test's own process, between the client under test and a real server (the
 * upstream): it forwards every connection, records both directions as a {@link FakeTcpServer} records its
 * conversations, and breaks them on purpose with {@linkplain ProxyFault faults} and the fake server's
 * {@linkplain ConnectionMode connection modes}.
 *
 * <pre>{@code
 * try (TcpProxy proxy = TcpProxy.start(new InetSocketAddress("127.0.0.1", databasePort))) {
 *     proxy.add(ProxyFault.latency(Duration.ofMillis(200)));
 *
 *     client.connect(proxy.host(), proxy.port());   // the client talks to the proxy instead of the server
 *
 *     RecordedConnection connection = proxy.takeConnection(Duration.ofSeconds(2));
 *     proxy.verify();
 * }
 * }</pre>
 *
 * <p>Each connection is recorded as a {@link RecordedConnection}: the client's bytes as received
 * ({@link TranscriptEvent.Kind#RECEIVED}), the upstream's bytes as the proxy wrote them to the client
 * ({@link TranscriptEvent.Kind#SENT}), the client's close or reset as the client's, and the upstream's end of stream
 * as the server's half-close; the end of the connection as the server's close or reset (the proxy closes both
 * sides together); faults and the upstream's address as notes.
 *
 * <p>The upstream must be a loopback address. If it cannot be reached (refused, or no answer within the
 * {@linkplain Builder#connectTimeout(Duration) connect timeout}), the client's connection is reset as in mode
 * {@link ConnectionMode#ACCEPT_THEN_RESET}: its {@code connect}, timed or not, succeeds (the proxy accepted it),
 * its first write succeeds and its next read throws {@code SocketException: Connection reset}; a client that reads
 * first gets the reset after the connect timeout (an upstream that does not answer) and then the step timeout, or
 * its own read timeout. The transcript notes the upstream's error.
 * For the client to see exactly a refused or timed-out {@code connect}, use the proxy's own
 * {@link #mode(ConnectionMode) mode} ({@code REFUSE}, {@code CONNECT_TIMEOUT}).
 *
 * <p>Memory is bounded whatever either side sends: a buffer of 64 KiB per direction and connection, 512 KiB for a
 * direction that carries a bulk transfer (at most 16 of those per proxy at a time, 8 MiB), and the recording limit;
 * a side that sends faster than the other reads is held back by TCP. {@link #verify()}, {@link #failures()},
 * {@link #awaitQuiet()} and {@link #close()} are exact as the fake server's: whatever a client did before the call
 * (connect, write, close, reset) is recorded. Failures are the proxy's own errors (a forwarding that failed, no
 * upstream set, not quiet within the step timeout); what the client or the upstream did (a close, a reset, an
 * upstream that is down) is recorded, not a failure, except that an upstream that stops reading holds the client
 * back, and a proxy that cannot become quiet for that reason fails as not quiet. {@link #close()} ends every
 * connection and thread.
 *
 * @since 0.1
 */
public final class TcpProxy implements AutoCloseable {

    private final ProxyEngine engine;

    private TcpProxy(ProxyEngine engine) {
        this.engine = engine;
    }

    /**
     * Starts a proxy with default options on 127.0.0.1 and an ephemeral port, forwarding to {@code upstream}.
     *
     * @param upstream the real server, on loopback
     * @return the running proxy
     * @throws IllegalArgumentException if {@code upstream} is not a loopback address
     */
    public static TcpProxy start(InetSocketAddress upstream) {
        return builder().upstream(upstream).start();
    }

    /**
     * Returns a builder for a proxy with other options.
     *
     * @return a builder with default options and no upstream
     */
    public static Builder builder() {
        return Builder.DEFAULTS;
    }

    // ---- where ----

    /**
     * Returns the proxy's port, the same for its whole life, whatever the mode.
     *
     * @return the ephemeral port
     */
    public int port() {
        return engine.port();
    }

    /**
     * Returns the host clients connect to, as an address literal: {@code "127.0.0.1"} or {@code "::1"}.
     *
     * @return the host
     */
    public String host() {
        return Messages.literal(engine.address());
    }

    /**
     * Returns the address clients connect to.
     *
     * @return the proxy's address and port
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(engine.address(), engine.port());
    }

    /**
     * Returns {@code host:port}, with brackets around an IPv6 host, ready for a URL.
     *
     * @return the authority of the proxy
     */
    public String authority() {
        return Messages.address(address());
    }

    // ---- upstream, mode and faults ----

    /**
     * Returns the upstream new connections are forwarded to: the one set, or with a
     * {@linkplain #upstream(Supplier) resolver} the one it gave last.
     *
     * @return the upstream, or {@code null} if none is set (or the resolver was not asked yet)
     */
    public InetSocketAddress upstream() {
        return engine.upstream();
    }

    /**
     * Sets the upstream for connections accepted from now on; open connections stay with theirs.
     *
     * @param upstream the real server, on loopback
     * @return this proxy
     * @throws IllegalArgumentException if {@code upstream} is not a loopback address
     */
    public TcpProxy upstream(InetSocketAddress upstream) {
        engine.upstream(requireLoopback(upstream));
        return this;
    }

    /**
     * Sets the upstream for connections accepted from now on, as {@link #upstream(InetSocketAddress)}.
     *
     * @param host {@code localhost} or a loopback address literal: dotted-quad IPv4 ({@code 127.0.0.1}) or IPv6
     *     ({@code ::1}, in brackets or not); no name is looked up
     * @param port the port
     * @return this proxy
     * @throws IllegalArgumentException if {@code host} is not one of these, or not loopback
     */
    public TcpProxy upstream(String host, int port) {
        Objects.requireNonNull(host, "host");
        return upstream(new InetSocketAddress(literalOrLocalhost(host), port));
    }

    /**
     * Sets where connections accepted from now on go, asked at each connection: for an upstream that starts
     * after the proxy or moves (a container that restarts on another port). An answer that is {@code null} or not
     * loopback resets that client, as an upstream that is down does, and is a failure of the proxy.
     *
     * @param resolver gives the upstream, on loopback
     * @return this proxy
     */
    public TcpProxy upstream(Supplier<InetSocketAddress> resolver) {
        engine.upstream(Objects.requireNonNull(resolver, "resolver"));
        return this;
    }

    /**
     * Switches how new connection attempts on the proxy's own port are treated, as
     * {@link FakeTcpServer#mode(ConnectionMode)} does: in {@code ACCEPT} they are forwarded; the other modes behave
     * exactly as on a fake server, without the upstream.
     *
     * @param mode the new mode
     * @return this proxy
     * @throws IllegalStateException if the proxy is closed
     */
    public TcpProxy mode(ConnectionMode mode) {
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

    /**
     * Adds a fault. It takes effect at once, on the connections that are open and on later ones (those it
     * {@linkplain ProxyFault#onFraction(double, long) applies} to), until removed.
     *
     * @param fault the fault
     * @return this proxy
     * @throws IllegalArgumentException if an equal fault is on already
     */
    public TcpProxy add(ProxyFault fault) {
        Objects.requireNonNull(fault, "fault");
        if (!engine.add(fault)) {
            throw new IllegalArgumentException("the fault " + fault + " is on already");
        }
        return this;
    }

    /**
     * Removes a fault; open connections go on without it at once (held bytes are forwarded).
     *
     * @param fault the fault, or an equal one
     * @return this proxy
     * @throws IllegalArgumentException if the fault is not on
     */
    public TcpProxy remove(ProxyFault fault) {
        Objects.requireNonNull(fault, "fault");
        if (!engine.remove(fault)) {
            throw new IllegalArgumentException("the fault " + fault + " is not on; on are: " + engine.faults());
        }
        return this;
    }

    /**
     * Removes every fault.
     *
     * @return this proxy
     */
    public TcpProxy clearFaults() {
        engine.clearFaults();
        return this;
    }

    /**
     * Returns the faults that are on, in the order they were added.
     *
     * @return an immutable snapshot
     */
    public List<ProxyFault> faults() {
        return engine.faults();
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
     * Waits up to the step timeout for the next connection not taken yet.
     *
     * @return the connection
     * @throws AssertionError if no connection came in time
     */
    public RecordedConnection takeConnection() {
        return takeConnection(engine.settings().server().stepTimeout());
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
     * Returns how many connections the proxy accepted so far.
     *
     * @return the count
     */
    public int connectionCount() {
        return engine.connectionCount();
    }

    /**
     * Waits until {@code condition} holds, checking it again whenever something is recorded.
     *
     * @param condition the condition, usually on the proxy's record
     * @param timeout how long to wait at most; zero checks once
     * @return {@code true} if the condition held in time
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean awaitUntil(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        ServerSettings.requireNotNegative(timeout, "timeout");
        return engine.awaitUntil(condition, timeout);
    }

    /**
     * Waits until the proxy is quiet: every connection the kernel completed is accepted, and every connection has
     * read and recorded what its client delivered and is not in the middle of forwarding the upstream's bytes.
     * Then the record holds everything the clients did before this call. Bounded by the step timeout.
     *
     * <p>This is the proxy's record: the client's bytes it has recorded may still wait in the proxy for the
     * upstream to read them (up to a buffer of each connection). Where the upstream is a fake server, wait for what
     * it must have received on its own record, for example its connection's
     * {@link RecordedConnection#awaitClosed(Duration) awaitClosed} after the client's close, which the proxy passes
     * on after the last byte.
     *
     * @return {@code true} if the proxy became quiet in time
     */
    public boolean awaitQuiet() {
        return engine.awaitQuiet();
    }

    /**
     * Returns every failure so far, once the proxy is quiet (see {@link #awaitQuiet()}): the proxy's own errors,
     * such as a connection that came while no upstream was set, or a proxy that did not become quiet.
     *
     * @return an immutable snapshot
     */
    public List<ScriptFailure> failures() {
        return engine.failures();
    }

    /**
     * Throws if any failure was recorded, with the failures and their transcripts in the message (bounded).
     *
     * @throws AssertionError if there is at least one failure
     */
    public void verify() {
        List<ScriptFailure> failures = failures();
        if (failures.isEmpty()) {
            return;
        }
        throw Messages.failuresError(name(), "proxy", failures);
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
     * Returns how many threads of this proxy are alive: the acceptor, two per forwarded connection, and idle ones
     * of the last second. Zero after {@link #close()}.
     *
     * @return the live thread count
     */
    public int liveThreadCount() {
        return engine.liveThreadCount();
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
     * Stops the proxy: accepts what the kernel has completed and releases the port, waits (at most the step
     * timeout) until the proxy is quiet, closes every connection (both sides, FIN) and waits for every thread of the
     * proxy to end. Idempotent.
     */
    @Override
    public void close() {
        engine.close();
    }

    @Override
    public String toString() {
        InetSocketAddress upstream = engine.upstream();
        return "TcpProxy[" + authority() + " -> " + (upstream == null ? "no upstream" : Messages.address(upstream))
                + ", mode " + engine.mode() + ", " + Messages.count(connectionCount(), "connection", "connections")
                + "]";
    }

    private String name() {
        return "TCP proxy " + authority();
    }

    private static InetSocketAddress requireLoopback(InetSocketAddress address) {
        Objects.requireNonNull(address, "upstream");
        if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("a TCP proxy forwards to a loopback address (127.0.0.1, ::1, "
                    + "localhost) only, not " + address);
        }
        return address;
    }

    /**
     * Turns {@code localhost}, a dotted-quad IPv4 literal or an IPv6 literal (in brackets or not) into an address,
     * without a lookup; anything else is rejected, never looked up.
     */
    private static InetAddress literalOrLocalhost(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (literal.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        byte[] ipv4 = dottedQuad(literal);
        try {
            if (ipv4 != null) {
                return InetAddress.getByAddress(ipv4);
            }
            // an IPv6 literal: hex digits, colons (and dots for an embedded IPv4 address); the first character a
            // hex digit or a colon, so that InetAddress parses it and never looks it up
            if (literal.indexOf(':') >= 0
                    && literal.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                return InetAddress.getByName(literal);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("a TCP proxy forwards to a loopback address (127.0.0.1, ::1, "
                    + "localhost) only, and " + host + " is not an address", e);
        }
        throw new IllegalArgumentException("a TCP proxy forwards to a loopback address (127.0.0.1, ::1, "
                + "localhost) only, not " + host + " (no name is looked up)");
    }

    /** The four bytes of a dotted-quad IPv4 literal such as {@code 127.0.0.1}, or {@code null}. */
    private static byte[] dottedQuad(String literal) {
        String[] parts = literal.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /**
     * An immutable builder of {@link TcpProxy}s: every method returns a new builder, and validates its value at
     * once.
     *
     * @since 0.1
     */
    public static final class Builder {

        static final Builder DEFAULTS = new Builder(ProxySettings.DEFAULTS, null);

        private final ProxySettings settings;
        private final InetSocketAddress upstream;

        private Builder(ProxySettings settings, InetSocketAddress upstream) {
            this.settings = settings;
            this.upstream = upstream;
        }

        /**
         * Sets the upstream; without one, set it later with {@link TcpProxy#upstream(InetSocketAddress)}.
         *
         * @param upstream the real server, on loopback
         * @return a builder with this option
         * @throws IllegalArgumentException if {@code upstream} is not a loopback address
         */
        public Builder upstream(InetSocketAddress upstream) {
            return new Builder(settings, requireLoopback(upstream));
        }

        /**
         * Binds to {@code ::1} instead of {@code 127.0.0.1}.
         *
         * @return a builder with this option
         */
        public Builder ipv6() {
            try {
                InetAddress loopback = InetAddress.getByAddress("localhost",
                        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
                return new Builder(settings.withServer(settings.server().withBindAddress(loopback)), upstream);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Sets how long {@link TcpProxy#verify()}, {@link TcpProxy#awaitQuiet()} and {@link TcpProxy#close()} wait
         * for the proxy to become quiet, and a connection whose upstream is down waits for its client's first
         * bytes before the reset; default 5 s.
         *
         * @param timeout a positive duration
         * @return a builder with this option
         */
        public Builder stepTimeout(Duration timeout) {
            return new Builder(settings.withServer(settings.server().withStepTimeout(timeout)), upstream);
        }

        /**
         * Sets how long a connection to the upstream may take before the upstream counts as down; default 2 s, or
         * half the step timeout if that is shorter. It must be shorter than the step timeout, which bounds
         * {@link TcpProxy#verify()}'s wait for such a connection.
         *
         * @param timeout a positive duration, shorter than the step timeout (checked by {@link #start()})
         * @return a builder with this option
         */
        public Builder connectTimeout(Duration timeout) {
            return new Builder(settings.withConnectTimeout(timeout), upstream);
        }

        /**
         * Sets how many bytes each connection records per direction; beyond it bytes are counted only.
         *
         * @param bytes the limit, zero or more
         * @return a builder with this option
         */
        public Builder recordingLimit(int bytes) {
            return new Builder(settings.withServer(settings.server().withRecordingLimit(bytes)), upstream);
        }

        /**
         * Sets the charset the record decodes text with; default UTF-8.
         *
         * @param charset a charset that encodes ASCII as single bytes
         * @return a builder with this option
         */
        public Builder charset(Charset charset) {
            return new Builder(settings.withServer(settings.server().withCharset(charset)), upstream);
        }

        /**
         * Sets the accept backlog of the proxy's port; default 512.
         *
         * @param backlog at least 1
         * @return a builder with this option
         */
        public Builder backlog(int backlog) {
            return new Builder(settings.withServer(settings.server().withBacklog(backlog)), upstream);
        }

        /**
         * Sets the connection mode the proxy starts in; default {@link ConnectionMode#ACCEPT}.
         *
         * @param mode the mode
         * @return a builder with this option
         */
        public Builder mode(ConnectionMode mode) {
            Objects.requireNonNull(mode, "mode");
            return new Builder(settings.withServer(settings.server().withInitialMode(mode)), upstream);
        }

        /**
         * Starts a proxy with these options.
         *
         * @return the running proxy
         * @throws java.io.UncheckedIOException if the address cannot be bound
         * @throws IllegalArgumentException if the connect timeout is not shorter than the step timeout
         */
        public TcpProxy start() {
            return new TcpProxy(ProxyEngine.start(settings.checked(), upstream));
        }

        @Override
        public String toString() {
            return "TcpProxy.Builder[upstream=" + (upstream == null ? "none" : Messages.address(upstream))
                    + ", connectTimeout=" + Messages.duration(settings.effectiveConnectTimeout()) + ", "
                    + settings.server()
                    + "]";
        }
    }
}
