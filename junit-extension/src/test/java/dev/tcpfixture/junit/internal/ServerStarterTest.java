package dev.tcpfixture.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.TcpServer;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the extension composes a server's builder from configuration parameters, its own options and the
 * {@code @TcpServer} attributes, without starting servers: read through the builder's {@code toString()}, which
 * shows its settings. Wildcard addresses are only parsed here, never bound.
 */
class ServerStarterTest {

    private static final String ORIGIN = "parameter [FakeTcpServer server] in void Example.test()";

    /** An extension context that only answers configuration parameters. */
    private static ExtensionContext configuredWith(Map<String, String> parameters) {
        return (ExtensionContext) Proxy.newProxyInstance(ServerStarterTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getConfigurationParameter") && arguments.length == 1) {
                        return Optional.ofNullable(parameters.get((String) arguments[0]));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The attributes of a {@code @TcpServer} element, from a method's parameter. */
    private static ServerSpec spec(String method) throws NoSuchMethodException {
        TcpServer annotation = Annotated.class.getDeclaredMethod(method, FakeTcpServer.class).getParameters()[0]
                .getAnnotation(TcpServer.class);
        return ServerSpec.of(annotation);
    }

    static class Annotated {

        void plain(@TcpServer FakeTcpServer server) {
        }

        void everything(@TcpServer(stepTimeout = "PT3S", recordingLimit = 30, lineLimit = 300,
                charset = "US-ASCII", backlog = 3, mode = ConnectionMode.REFUSE, allowUnusedScripts = true)
                FakeTcpServer server) {
        }

        void badLineLimit(@TcpServer(value = "replica", lineLimit = 0) FakeTcpServer server) {
        }

        void badStepTimeout(@TcpServer(stepTimeout = "2s") FakeTcpServer server) {
        }

        void badCharset(@TcpServer(charset = "UTF-16") FakeTcpServer server) {
        }
    }

    private static String settings(ServerSpec spec, ExtensionOptions options, Map<String, String> parameters) {
        return ServerStarter.builder(spec, ORIGIN, options, configuredWith(parameters)).toString();
    }

    @Test
    void withNothingSetTheBuildersDefaultsApply() throws Exception {
        assertThat(settings(spec("plain"), ExtensionOptions.NONE, Map.of()))
                .isEqualTo(FakeTcpServer.builder().toString());
    }

    @Test
    void everyOptionCanBeSetByAConfigurationParameter() throws Exception {
        String settings = settings(spec("plain"), ExtensionOptions.NONE, Map.of(
                "tcpfixture.server.bindAddress", "::1",
                "tcpfixture.server.stepTimeout", "PT1S",
                "tcpfixture.server.recordingLimit", "10",
                "tcpfixture.server.lineLimit", "100",
                "tcpfixture.server.charset", "ISO-8859-1",
                "tcpfixture.server.backlog", "1",
                "tcpfixture.server.mode", "connect_timeout",
                "tcpfixture.server.allowUnusedScripts", "true"));

        assertThat(settings).isEqualTo(FakeTcpServer.builder().ipv6().stepTimeout(Duration.ofSeconds(1))
                .recordingLimit(10).lineLimit(100).charset(StandardCharsets.ISO_8859_1).backlog(1)
                .mode(ConnectionMode.CONNECT_TIMEOUT).allowUnusedScripts().toString());
    }

    @Test
    void theAnnotationWinsOverTheExtensionWhichWinsOverTheConfigurationParameters() throws Exception {
        ExtensionOptions options = ExtensionOptions.NONE.with(ServerOption.STEP_TIMEOUT, Duration.ofSeconds(2))
                .with(ServerOption.RECORDING_LIMIT, 20).with(ServerOption.BACKLOG, 2);
        Map<String, String> parameters = Map.of("tcpfixture.server.stepTimeout", "PT1S",
                "tcpfixture.server.recordingLimit", "10", "tcpfixture.server.lineLimit", "100");

        assertThat(settings(spec("plain"), options, parameters)).isEqualTo(FakeTcpServer.builder()
                .stepTimeout(Duration.ofSeconds(2)).recordingLimit(20).lineLimit(100).backlog(2).toString());
        assertThat(settings(spec("everything"), options, parameters)).isEqualTo(FakeTcpServer.builder()
                .stepTimeout(Duration.ofSeconds(3)).recordingLimit(30).lineLimit(300)
                .charset(StandardCharsets.US_ASCII).backlog(3).mode(ConnectionMode.REFUSE).allowUnusedScripts()
                .toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]"})
    void aWildcardAddressIsAcceptedWhenConfiguredExplicitly(String wildcard) throws Exception {
        assertThat(settings(spec("plain"), ExtensionOptions.NONE, Map.of("tcpfixture.server.bindAddress", wildcard)))
                .startsWith("FakeTcpServer.Builder[bindAddress=" + (wildcard.contains(":") ? "0:0:0:0:0:0:0:0"
                        : "0.0.0.0") + ",");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // does not parse: the extension says what it expected
            "tcpfixture.server.stepTimeout       | 2s           | expected an ISO-8601 duration such as PT2S",
            "tcpfixture.server.recordingLimit    | lots         | expected a number of bytes such as 65536",
            "tcpfixture.server.lineLimit         | 1e3          | expected a number of bytes such as 65536",
            "tcpfixture.server.backlog           | many         | expected a number of connections such as 512",
            "tcpfixture.server.charset           | klingon-8    | expected the name of a charset",
            "tcpfixture.server.mode              | OPEN         | expected one of [ACCEPT, ",
            "tcpfixture.server.allowUnusedScripts| yes          | expected true or false",
            "tcpfixture.server.bindAddress       | nowhere      | expected an address literal such as 127.0.0.1",
            "tcpfixture.server.bindAddress       | 127.0.0      | expected an address literal such as 127.0.0.1",
            "tcpfixture.server.bindAddress       | 999.0.0.1    | expected an address literal such as 127.0.0.1",
            "tcpfixture.server.bindAddress       | 127.0.0.1:80 | expected an address literal such as 127.0.0.1",
            // parses, and the builder rejects it: its message
            "tcpfixture.server.stepTimeout       | PT0S         | stepTimeout must be positive, was 0 ms",
            "tcpfixture.server.stepTimeout       | -PT1S        | stepTimeout must be positive, was -1 s",
            "tcpfixture.server.recordingLimit    | -1           | recordingLimit must not be negative, was -1",
            "tcpfixture.server.lineLimit         | 0            | lineLimit must be at least 1, was 0",
            "tcpfixture.server.backlog           | 0            | backlog must be at least 1, was 0",
            "tcpfixture.server.charset           | UTF-16       | charset must encode ASCII",
            "tcpfixture.server.bindAddress       | ::2          | a fake TCP server binds a loopback address"})
    void anInvalidConfigurationParameterNamesTheKeyAndTheValue(String key, String value, String reason)
            throws Exception {
        assertThatThrownBy(() -> settings(spec("plain"), ExtensionOptions.NONE, Map.of(key, value)))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("Invalid value '" + value + "' for configuration parameter '" + key + "': "
                        + reason);
    }

    @Test
    void anInvalidConfigurationParameterFailsEvenWhenOverridden() throws Exception {
        ExtensionOptions options = ExtensionOptions.NONE.with(ServerOption.STEP_TIMEOUT, Duration.ofSeconds(2));

        assertThatThrownBy(() -> settings(spec("everything"), options, Map.of("tcpfixture.server.stepTimeout",
                "soon")))
                .hasMessageStartingWith("Invalid value 'soon' for configuration parameter "
                        + "'tcpfixture.server.stepTimeout'");
    }

    @Test
    void anInvalidAttributeNamesTheAnnotationAndTheElement() throws Exception {
        assertThatThrownBy(() -> settings(spec("badLineLimit"), ExtensionOptions.NONE, Map.of()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @TcpServer(value = \"replica\", lineLimit = 0) on " + ORIGIN
                        + ": lineLimit must be at least 1, was 0");
        assertThatThrownBy(() -> settings(spec("badStepTimeout"), ExtensionOptions.NONE, Map.of()))
                .hasMessage("Invalid @TcpServer(stepTimeout = \"2s\") on " + ORIGIN
                        + ": expected an ISO-8601 duration such as PT2S");
        assertThatThrownBy(() -> settings(spec("badCharset"), ExtensionOptions.NONE, Map.of()))
                .hasMessageStartingWith("Invalid @TcpServer(charset = \"UTF-16\") on " + ORIGIN
                        + ": charset must encode ASCII");
    }

    @Test
    void theParametersOfEarlierVersionsFailWithTheirNewNames() throws Exception {
        assertThatThrownBy(() -> settings(spec("plain"), ExtensionOptions.NONE, Map.of("tcpfixture.stepTimeout",
                "PT2S")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("The configuration parameter 'tcpfixture.stepTimeout' is now "
                        + "'tcpfixture.server.stepTimeout': rename it in junit-platform.properties");
    }

    @Test
    void theExtensionsOptionsAreValidatedByTheBuilderWhenSet() {
        assertThatThrownBy(() -> ExtensionOptions.NONE.with(ServerOption.LINE_LIMIT, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lineLimit must be at least 1, was 0");
        assertThat(ExtensionOptions.NONE.with(ServerOption.LINE_LIMIT, 80).with(ServerOption.CHARSET,
                StandardCharsets.ISO_8859_1)).hasToString("[lineLimit=80, charset=ISO-8859-1]");
    }
}
