package dev.tcpfixture.junit.internal;

import static dev.tcpfixture.junit.TcpServerExtension.BIND_ADDRESS_KEY;
import static dev.tcpfixture.junit.TcpServerExtension.RECORDING_LIMIT_KEY;
import static dev.tcpfixture.junit.TcpServerExtension.STEP_TIMEOUT_KEY;

import dev.tcpfixture.FakeTcpServer;
import java.net.InetAddress;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The options every server of one extension starts with: the builder's options, else the configuration
 * parameters, else the defaults of {@link FakeTcpServer}.
 *
 * @param stepTimeout how long a step waits for the client
 * @param recordingLimit bytes recorded per connection and direction
 * @param bindAddress the address to bind
 */
record ServerDefaults(Duration stepTimeout, int recordingLimit, InetAddress bindAddress) {

    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * Resolves the options for servers started in {@code context}. Every configuration parameter is
     * validated, even one that the builder overrides, so that a typo never goes unnoticed.
     *
     * @throws ExtensionConfigurationException if a configuration parameter has an invalid value
     */
    static ServerDefaults resolve(ExtensionOptions options, ExtensionContext context) {
        Optional<Duration> stepTimeout = parameter(context, STEP_TIMEOUT_KEY,
                "a positive ISO-8601 duration such as PT2S", ServerDefaults::parseStepTimeout);
        Optional<Integer> recordingLimit = parameter(context, RECORDING_LIMIT_KEY,
                "a number of bytes, zero or more, such as 65536", ServerDefaults::parseRecordingLimit);
        Optional<InetAddress> bindAddress = parameter(context, BIND_ADDRESS_KEY,
                "127.0.0.1, ::1 or localhost (or, to listen on every interface, 0.0.0.0 or ::)",
                ServerDefaults::parseBindAddress);
        return new ServerDefaults(
                options.stepTimeout() != null ? options.stepTimeout()
                        : stepTimeout.orElse(FakeTcpServer.DEFAULT_STEP_TIMEOUT),
                options.recordingLimit() != null ? options.recordingLimit()
                        : recordingLimit.orElse(FakeTcpServer.DEFAULT_RECORDING_LIMIT),
                options.bindAddress() != null ? options.bindAddress()
                        : bindAddress.orElse(InetAddress.getLoopbackAddress()));
    }

    private static <T> Optional<T> parameter(ExtensionContext context, String key, String expected,
            Function<String, T> parser) {
        Optional<String> text = context.getConfigurationParameter(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        T value;
        try {
            value = parser.apply(text.get().trim());
        } catch (RuntimeException e) {
            throw invalid(key, text.get(), expected, e);
        }
        if (value == null) {
            throw invalid(key, text.get(), expected, null);
        }
        return Optional.of(value);
    }

    private static ExtensionConfigurationException invalid(String key, String value, String expected,
            Throwable cause) {
        return new ExtensionConfigurationException("Invalid value '" + value + "' for configuration parameter '"
                + key + "': expected " + expected, cause);
    }

    private static Duration parseStepTimeout(String text) {
        try {
            Duration timeout = Duration.parse(text);
            return timeout.isNegative() || timeout.isZero() ? null : timeout;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer parseRecordingLimit(String text) {
        try {
            int limit = Integer.parseInt(text);
            return limit < 0 ? null : limit;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses address literals only, so that no name is ever looked up; {@code localhost} is the exception. */
    private static InetAddress parseBindAddress(String text) {
        if (text.toLowerCase(Locale.ROOT).equals("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean isLiteral = IPV4_LITERAL.matcher(literal).matches()
                || (literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+"));
        if (!isLiteral) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(literal);
            return ExtensionOptions.isAllowedBindAddress(address) ? address : null;
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
