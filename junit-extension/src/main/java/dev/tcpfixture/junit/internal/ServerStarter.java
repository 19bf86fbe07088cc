package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a server through {@link FakeTcpServer#builder()} alone: the defaults of the builder, then the
 * configuration parameters, then the options of the extension's builder, then the attributes of the
 * {@code @TcpServer} element. The extension only parses text; every value is validated by the builder, whose
 * {@link IllegalArgumentException} becomes an {@link ExtensionConfigurationException} that says where the value
 * came from.
 */
final class ServerStarter {

    /** Configuration parameters of earlier versions, and what they are now. */
    private static final Map<String, ServerOption> RENAMED = Map.of(
            "tcpfixture.stepTimeout", ServerOption.STEP_TIMEOUT,
            "tcpfixture.recordingLimit", ServerOption.RECORDING_LIMIT,
            "tcpfixture.bindAddress", ServerOption.BIND_ADDRESS);

    private ServerStarter() {
    }

    /**
     * Starts the server that {@code spec}, on {@code origin}, asks for.
     *
     * @throws ExtensionConfigurationException if a value does not parse or the builder rejects it; every
     *     configuration parameter is checked, even one that a later source overrides, so that a typo never goes
     *     unnoticed
     */
    static FakeTcpServer start(ServerSpec spec, String origin, ExtensionOptions options, ExtensionContext context) {
        FakeTcpServer.Builder builder = builder(spec, origin, options, context);
        try {
            return builder.start();
        } catch (IllegalStateException e) { // TLS options without TLS
            throw new ExtensionConfigurationException("Invalid " + spec.label() + " on " + origin + ": "
                    + e.getMessage(), e);
        }
    }

    /** Returns the builder of the server {@code spec} asks for; see {@link #start}. */
    static FakeTcpServer.Builder builder(ServerSpec spec, String origin, ExtensionOptions options,
            ExtensionContext context) {
        FakeTcpServer.Builder builder = FakeTcpServer.builder();
        for (Map.Entry<String, ServerOption> renamed : RENAMED.entrySet()) {
            if (context.getConfigurationParameter(renamed.getKey()).isPresent()) {
                throw new ExtensionConfigurationException("The configuration parameter '" + renamed.getKey()
                        + "' is now '" + renamed.getValue().key() + "': rename it in junit-platform.properties");
            }
        }
        for (ServerOption option : ServerOption.values()) {
            if (!option.configurable()) {
                continue;
            }
            Optional<String> text = context.getConfigurationParameter(option.key());
            if (text.isPresent()) {
                builder = apply(builder, option, text.get(), "Invalid value '" + text.get()
                        + "' for configuration parameter '" + option.key() + "'");
            }
        }
        builder = options.applyTo(builder);
        if (spec.ipv6()) {
            builder = builder.ipv6();
        }
        for (ServerOption option : ServerOption.values()) { // in order: tlsFault after tls
            String value = spec.options().get(option);
            if (value == null) {
                continue;
            }
            String written = (spec.name().isEmpty() ? "" : "value = \"" + spec.name() + "\", ")
                    + ServerSpec.attribute(option, value);
            builder = apply(builder, option, value, "Invalid @TcpServer(" + written + ") on " + origin);
        }
        return builder;
    }

    private static FakeTcpServer.Builder apply(FakeTcpServer.Builder builder, ServerOption option, String text,
            String where) {
        Object value;
        try {
            value = option.parse(text.trim());
        } catch (RuntimeException e) {
            throw new ExtensionConfigurationException(where + ": expected " + option.expected(), e);
        }
        try {
            return option.apply(builder, value);
        } catch (IllegalArgumentException | IllegalStateException e) { // IllegalStateException: tls without its module
            throw new ExtensionConfigurationException(where + ": " + e.getMessage(), e);
        }
    }
}
