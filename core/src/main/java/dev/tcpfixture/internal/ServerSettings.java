package dev.tcpfixture.internal;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.TlsVersion;
import java.net.InetAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options of one fake server, immutable: each {@code with...} method returns a copy with one option
 * changed. The one settings type of tcpfixture; {@code FakeTcpServer.Builder} validates each option once, in
 * its own method, and is the only code that makes settings.
 */
public final class ServerSettings {

    /** The step timeout unless configured. */
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofSeconds(5);

    /** The recording limit unless configured, in bytes per connection and direction. */
    public static final int DEFAULT_RECORDING_LIMIT = 1024 * 1024;

    /** The line limit unless configured, in bytes. */
    public static final int DEFAULT_LINE_LIMIT = 64 * 1024;

    /** The accept backlog unless configured. */
    public static final int DEFAULT_BACKLOG = 512;

    /** The defaults: 127.0.0.1, backlog 512, step timeout 5 s, 1 MiB recorded, lines of 64 KiB, UTF-8. */
    public static final ServerSettings DEFAULTS = new ServerSettings();

    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private int backlog = DEFAULT_BACKLOG;
    private Duration stepTimeout = DEFAULT_STEP_TIMEOUT;
    private int recordingLimit = DEFAULT_RECORDING_LIMIT;
    private int lineLimit = DEFAULT_LINE_LIMIT;
    private Charset charset = StandardCharsets.UTF_8;
    private ConnectionMode initialMode = ConnectionMode.ACCEPT;
    private boolean allowUnusedScripts;
    private TlsSettings tls; // as given, before tlsClientAuth and tlsVersions
    private ClientAuth tlsClientAuth; // null: as tls has it
    private Set<TlsVersion> tlsVersions; // null: as tls has it
    private TlsSettings effectiveTls; // tls with tlsClientAuth and tlsVersions applied

    // Fields are set only on a fresh copy, before it is returned: once published, settings never change.

    private ServerSettings() {
    }

    private ServerSettings copy() {
        ServerSettings copy = new ServerSettings();
        copy.bindAddress = bindAddress;
        copy.backlog = backlog;
        copy.stepTimeout = stepTimeout;
        copy.recordingLimit = recordingLimit;
        copy.lineLimit = lineLimit;
        copy.charset = charset;
        copy.initialMode = initialMode;
        copy.allowUnusedScripts = allowUnusedScripts;
        copy.tls = tls;
        copy.tlsClientAuth = tlsClientAuth;
        copy.tlsVersions = tlsVersions;
        copy.effectiveTls = effectiveTls;
        return copy;
    }

    /** Applies the client authentication and the versions to the TLS settings, whichever was set first. */
    private ServerSettings withEffectiveTls() {
        effectiveTls = tls == null ? null : tls.adjusted(tlsClientAuth, tlsVersions);
        return this;
    }

    /** @return the address to bind */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** @return the accept backlog of the listener */
    public int backlog() {
        return backlog;
    }

    /** @return how long a step waits for the client by default */
    public Duration stepTimeout() {
        return stepTimeout;
    }

    /** @return how many bytes per direction each connection records at most */
    public int recordingLimit() {
        return recordingLimit;
    }

    /** @return how long a received line may be, in bytes */
    public int lineLimit() {
        return lineLimit;
    }

    /** @return the charset of text sent and received */
    public Charset charset() {
        return charset;
    }

    /** @return the connection mode at start */
    public ConnectionMode initialMode() {
        return initialMode;
    }

    /** @return whether queued scripts that no connection took are not reported as a failure */
    public boolean allowUnusedScripts() {
        return allowUnusedScripts;
    }

    /**
     * Returns the TLS options, with the {@linkplain #withTlsClientAuth(ClientAuth) client authentication} and the
     * {@linkplain #withTlsVersions(Set) versions} applied.
     *
     * @return the TLS options, or {@code null} if the server speaks plaintext only
     */
    public TlsSettings tls() {
        return effectiveTls;
    }

    /**
     * Returns the options that need TLS settings but the server has none: the text names them as the builder does.
     *
     * @return the names of the options, such as {@code tlsClientAuth(REQUIRE)}; empty if none
     */
    public List<String> tlsOptionsWithoutTls() {
        List<String> names = new ArrayList<>();
        if (tls == null && tlsClientAuth != null) {
            names.add("tlsClientAuth(" + tlsClientAuth + ")");
        }
        if (tls == null && tlsVersions != null) {
            names.add("tlsVersions(" + tlsVersions.stream().map(Enum::name).collect(Collectors.joining(", ")) + ")");
        }
        return names;
    }

    /**
     * @param tls the TLS options, validated when made
     * @return a copy with this option
     * @throws IllegalArgumentException if the client authentication or versions already set do not suit them
     */
    public ServerSettings withTls(TlsSettings tls) {
        ServerSettings copy = copy();
        copy.tls = tls;
        return copy.withEffectiveTls();
    }

    /**
     * @param clientAuth whether the server asks for a client certificate, over what the TLS options say
     * @return a copy with this option
     */
    public ServerSettings withTlsClientAuth(ClientAuth clientAuth) {
        ServerSettings copy = copy();
        copy.tlsClientAuth = clientAuth;
        return copy.withEffectiveTls();
    }

    /**
     * @param versions the protocol versions the server accepts, not empty, over what the TLS options say
     * @return a copy with this option
     * @throws IllegalArgumentException if the TLS options' context supports none of them
     */
    public ServerSettings withTlsVersions(Set<TlsVersion> versions) {
        ServerSettings copy = copy();
        copy.tlsVersions = Collections.unmodifiableSet(EnumSet.copyOf(versions));
        return copy.withEffectiveTls();
    }

    /**
     * @param address the address to bind, validated by the caller
     * @return a copy with this option
     */
    public ServerSettings withBindAddress(InetAddress address) {
        ServerSettings copy = copy();
        copy.bindAddress = address;
        return copy;
    }

    /**
     * @param backlog the accept backlog, at least 1
     * @return a copy with this option
     * @throws IllegalArgumentException if {@code backlog} is less than 1
     */
    public ServerSettings withBacklog(int backlog) {
        if (backlog < 1) {
            throw new IllegalArgumentException("backlog must be at least 1, was " + backlog);
        }
        ServerSettings copy = copy();
        copy.backlog = backlog;
        return copy;
    }

    /**
     * @param timeout the step timeout, positive
     * @return a copy with this option
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    public ServerSettings withStepTimeout(Duration timeout) {
        ServerSettings copy = copy();
        copy.stepTimeout = requirePositive(timeout, "stepTimeout");
        return copy;
    }

    /**
     * @param bytes the recording limit, zero or more
     * @return a copy with this option
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public ServerSettings withRecordingLimit(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("recordingLimit must not be negative, was " + bytes);
        }
        ServerSettings copy = copy();
        copy.recordingLimit = bytes;
        return copy;
    }

    /**
     * @param bytes the line limit, at least 1
     * @return a copy with this option
     * @throws IllegalArgumentException if {@code bytes} is less than 1
     */
    public ServerSettings withLineLimit(int bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("lineLimit must be at least 1, was " + bytes);
        }
        ServerSettings copy = copy();
        copy.lineLimit = bytes;
        return copy;
    }

    /**
     * @param charset a charset that encodes ASCII, and so line endings, as single bytes
     * @return a copy with this option
     * @throws IllegalArgumentException if the charset cannot encode, or encodes ASCII otherwise
     */
    public ServerSettings withCharset(Charset charset) {
        ServerSettings copy = copy();
        copy.charset = requireLineCharset(charset);
        return copy;
    }

    /**
     * Checks a charset for text in lines: of a server, a proxy or a script's {@code withCharset} step.
     *
     * @param charset the charset
     * @return the charset
     * @throws IllegalArgumentException if it cannot encode, or does not encode ASCII, and so line endings, as
     *     single bytes
     */
    public static Charset requireLineCharset(Charset charset) {
        Objects.requireNonNull(charset, "charset");
        if (!charset.canEncode() || !Arrays.equals("\r\nA".getBytes(charset), new byte[] {'\r', '\n', 'A'})) {
            throw new IllegalArgumentException("charset must encode ASCII, and so line endings, as single "
                    + "bytes (UTF-8, ISO-8859-1, US-ASCII and the like), not " + charset.name());
        }
        return charset;
    }

    /**
     * Checks a timeout argument of a server's or proxy's method.
     *
     * @param duration the duration
     * @param name the argument's name, for the message
     * @throws IllegalArgumentException if it is negative
     */
    public static void requireNotNegative(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + Messages.duration(duration));
        }
    }

    /**
     * Checks a duration option of a server or proxy.
     *
     * @param duration the duration
     * @param name the option's name, for the message
     * @return the duration
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + Messages.duration(duration));
        }
        return duration;
    }

    /**
     * @param mode the initial mode, validated by the caller
     * @return a copy with this option
     */
    public ServerSettings withInitialMode(ConnectionMode mode) {
        ServerSettings copy = copy();
        copy.initialMode = mode;
        return copy;
    }

    /**
     * @param allow whether unused queued scripts are allowed
     * @return a copy with this option
     */
    public ServerSettings withAllowUnusedScripts(boolean allow) {
        ServerSettings copy = copy();
        copy.allowUnusedScripts = allow;
        return copy;
    }

    @Override
    public String toString() {
        return "[bindAddress=" + Messages.literal(bindAddress) + ", backlog=" + backlog + ", stepTimeout="
                + Messages.duration(stepTimeout) + ", recordingLimit=" + recordingLimit + ", lineLimit=" + lineLimit
                + ", charset=" + charset.name() + ", mode=" + initialMode + ", allowUnusedScripts="
                + allowUnusedScripts + (effectiveTls == null ? "" : ", tls=" + effectiveTls)
                + (tlsOptionsWithoutTls().isEmpty() ? "" : ", " + String.join(", ", tlsOptionsWithoutTls())) + "]";
    }
}
