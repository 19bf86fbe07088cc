package dev.tcpfixture.junit.internal;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.TlsVersion;
import dev.tcpfixture.internal.Messages;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The options of a fake TCP server that the extension sets: how each is named, how its text (a configuration
 * parameter, an attribute of {@code @TcpServer}) is parsed, and which method of {@link FakeTcpServer.Builder} takes
 * it. Parsing only reads the text; whether the value is valid is the builder's to say, and only the builder's.
 */
public enum ServerOption {

    /** {@link FakeTcpServer.Builder#bindAddress(InetAddress)}. */
    BIND_ADDRESS("bindAddress", "an address literal such as 127.0.0.1 or ::1, or localhost") {
        @Override
        Object parse(String text) {
            return parseAddress(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.bindAddress((InetAddress) value);
        }

        @Override
        String format(Object value) {
            return Messages.literal((InetAddress) value);
        }
    },

    /** {@link FakeTcpServer.Builder#stepTimeout(Duration)}. */
    STEP_TIMEOUT("stepTimeout", "an ISO-8601 duration such as PT2S") {
        @Override
        Object parse(String text) {
            return Duration.parse(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.stepTimeout((Duration) value);
        }
    },

    /** {@link FakeTcpServer.Builder#recordingLimit(int)}. */
    RECORDING_LIMIT("recordingLimit", "a number of bytes such as 65536") {
        @Override
        Object parse(String text) {
            return Integer.valueOf(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.recordingLimit((Integer) value);
        }
    },

    /** {@link FakeTcpServer.Builder#lineLimit(int)}. */
    LINE_LIMIT("lineLimit", "a number of bytes such as 65536") {
        @Override
        Object parse(String text) {
            return Integer.valueOf(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.lineLimit((Integer) value);
        }
    },

    /** {@link FakeTcpServer.Builder#charset(Charset)}. */
    CHARSET("charset", "the name of a charset such as UTF-8 or ISO-8859-1") {
        @Override
        Object parse(String text) {
            return Charset.forName(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.charset((Charset) value);
        }

        @Override
        String format(Object value) {
            return ((Charset) value).name();
        }
    },

    /** {@link FakeTcpServer.Builder#backlog(int)}. */
    BACKLOG("backlog", "a number of connections such as 512") {
        @Override
        Object parse(String text) {
            return Integer.valueOf(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.backlog((Integer) value);
        }
    },

    /** {@link FakeTcpServer.Builder#mode(ConnectionMode)}. */
    MODE("mode", "one of " + Arrays.toString(ConnectionMode.values())) {
        @Override
        Object parse(String text) {
            return ConnectionMode.valueOf(text.toUpperCase(Locale.ROOT));
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.mode((ConnectionMode) value);
        }
    },

    /** {@link FakeTcpServer.Builder#allowUnusedScripts()}, for {@code true}. */
    ALLOW_UNUSED_SCRIPTS("allowUnusedScripts", "true or false") {
        @Override
        Object parse(String text) {
            if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                return Boolean.valueOf(text);
            }
            throw new IllegalArgumentException("not a boolean: " + text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return (Boolean) value ? builder.allowUnusedScripts() : builder;
        }
    },

    /**
     * {@link FakeTcpServer.Builder#tls()}, for {@code true}: TLS from the first byte with the default certificate of
     * {@code tcpfixture-tls}, found through {@link java.util.ServiceLoader} (the extension does not depend on it).
     */
    TLS("tls", "true or false") {
        @Override
        Object parse(String text) {
            return ALLOW_UNUSED_SCRIPTS.parse(text);
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return (Boolean) value ? builder.tls() : builder;
        }
    },

    /**
     * {@link FakeTcpServer.Builder#tls(TlsFault)}: TLS from the first byte with a faulty certificate of
     * {@code tcpfixture-tls}. Only an attribute of {@code @TcpServer}, never a configuration parameter; its text is
     * the names of the elements of the attribute's array, separated by commas, and at most one is allowed. It comes
     * after {@link #TLS}, so that it wins over {@code tls = true}.
     */
    TLS_FAULT("tlsFault", "at most one of " + Arrays.toString(TlsFault.values())) {
        @Override
        Object parse(String text) {
            if (text.contains(",")) {
                throw new IllegalArgumentException("more than one TlsFault: " + text);
            }
            return TlsFault.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.tls((TlsFault) value);
        }

        @Override
        boolean configurable() {
            return false;
        }
    },

    /**
     * {@link FakeTcpServer.Builder#tlsClientAuth(ClientAuth)}: mutual TLS. Only an attribute of {@code @TcpServer},
     * never a configuration parameter (it needs a TLS server, which most are not).
     */
    TLS_CLIENT_AUTH("tlsClientAuth", "one of " + Arrays.toString(ClientAuth.values())) {
        @Override
        Object parse(String text) {
            return ClientAuth.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }

        @Override
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            return builder.tlsClientAuth((ClientAuth) value);
        }

        @Override
        boolean configurable() {
            return false;
        }
    },

    /**
     * {@link FakeTcpServer.Builder#tlsVersions(TlsVersion, TlsVersion...)}: the versions the TLS server accepts. Only
     * an attribute of {@code @TcpServer}; its text is the names of the elements of the attribute's array, separated
     * by commas.
     */
    TLS_VERSIONS("tlsVersions", "some of " + Arrays.toString(TlsVersion.values())) {
        @Override
        Object parse(String text) {
            EnumSet<TlsVersion> versions = EnumSet.noneOf(TlsVersion.class);
            for (String name : text.split(",")) {
                versions.add(TlsVersion.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            }
            return versions;
        }

        @Override
        @SuppressWarnings("unchecked")
        FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value) {
            TlsVersion[] versions = ((EnumSet<TlsVersion>) value).toArray(new TlsVersion[0]);
            return builder.tlsVersions(versions[0], Arrays.copyOfRange(versions, 1, versions.length));
        }

        @Override
        boolean configurable() {
            return false;
        }
    };

    /** The prefix of the configuration parameters: {@value}. */
    public static final String KEY_PREFIX = "tcpfixture.server.";

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final String optionName;
    private final String expected;

    ServerOption(String optionName, String expected) {
        this.optionName = optionName;
        this.expected = expected;
    }

    /**
     * Returns the name of the option, as the builders and {@code @TcpServer} call it: {@code stepTimeout}.
     *
     * @return the name
     */
    public String optionName() {
        return optionName;
    }

    /**
     * Returns the configuration parameter: {@code tcpfixture.server.stepTimeout}.
     *
     * @return the key
     */
    public String key() {
        return KEY_PREFIX + optionName;
    }

    /** What text the option takes, for a message about text that does not parse. */
    String expected() {
        return expected;
    }

    /**
     * Parses the text of a value; the builder validates it.
     *
     * @throws RuntimeException if the text is not a value of this option's type
     */
    abstract Object parse(String text);

    /**
     * Sets the option on a builder, which validates it.
     *
     * @throws IllegalArgumentException if the builder rejects the value
     */
    abstract FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, Object value);

    /** Whether a configuration parameter ({@link #key()}) sets the option; otherwise only an attribute does. */
    boolean configurable() {
        return true;
    }

    /** Shows a value in {@code toString()} and messages. */
    String format(Object value) {
        return String.valueOf(value);
    }

    /** Parses address literals only, so that no name is ever looked up; {@code localhost} is the exception. */
    private static InetAddress parseAddress(String text) {
        if (text.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = IPV4_LITERAL.matcher(literal).matches()
                && Arrays.stream(literal.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        if (!ipv4 && !IPV6_LITERAL.matcher(literal).matches()) {
            throw new IllegalArgumentException("not an address literal: " + text);
        }
        try {
            return InetAddress.getByName(literal); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + text, e);
        }
    }
}
