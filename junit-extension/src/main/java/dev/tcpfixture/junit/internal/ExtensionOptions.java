package dev.tcpfixture.junit.internal;

import dev.tcpfixture.FakeTcpServer;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The options set on a {@code TcpServerExtension} builder, in the order of {@link ServerOption}; an option not
 * set here comes from the configuration parameters or the defaults of {@link FakeTcpServer}. Each value was
 * accepted by {@link FakeTcpServer.Builder} when it was set: the builder is the only place that validates.
 */
public final class ExtensionOptions {

    /** No option set. */
    public static final ExtensionOptions NONE = new ExtensionOptions(new EnumMap<>(ServerOption.class));

    private final Map<ServerOption, Object> values;

    private ExtensionOptions(Map<ServerOption, Object> values) {
        this.values = values;
    }

    /**
     * Returns these options with one more set, after {@link FakeTcpServer.Builder} accepted it.
     *
     * @param option the option
     * @param value its value
     * @return new options
     * @throws IllegalArgumentException as the builder's method for the option throws it
     */
    public ExtensionOptions with(ServerOption option, Object value) {
        Objects.requireNonNull(value, option.optionName());
        option.apply(FakeTcpServer.builder(), value);
        Map<ServerOption, Object> more = new EnumMap<>(ServerOption.class);
        more.putAll(values);
        more.put(option, value);
        return new ExtensionOptions(more);
    }

    /** Sets these options on the builder, which accepted each of them before. */
    FakeTcpServer.Builder applyTo(FakeTcpServer.Builder builder) {
        FakeTcpServer.Builder result = builder;
        for (Map.Entry<ServerOption, Object> entry : values.entrySet()) {
            result = entry.getKey().apply(result, entry.getValue());
        }
        return result;
    }

    @Override
    public String toString() {
        return values.entrySet().stream()
                .map(entry -> entry.getKey().optionName() + "=" + entry.getKey().format(entry.getValue()))
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
