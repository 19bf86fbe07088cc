package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.ScriptFailure;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Defaults from configuration parameters, options from the builder, and loud failures for invalid values.
 */
class ConfigurationTest {

    static final Map<String, Object> seen = new ConcurrentHashMap<>();

    /**
     * Records the bind address, whether 100 bytes were truncated, and, if asked for, the step timeout seen in a
     * failure (which takes as long as the step timeout).
     */
    static void probe(FakeTcpServer server, boolean stepTimeout) throws IOException {
        seen.put("address", server.address().getAddress());
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.getOutputStream().write(new byte[100]);
        }
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));
        TcpAssertions.assertClientClosed(connection);
        seen.put("recorded", connection.received().length);
        seen.put("truncated", connection.receivedTruncated());

        if (stepTimeout) {
            server.enqueue(Script.create().expectLine("HELLO"));
            try (Socket socket = new Socket(server.host(), server.port())) {
                socket.setSoTimeout(5_000);
                // the server gives up after its step timeout and closes: end of stream
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            seen.put("failure", server.failures().stream().map(ScriptFailure::message).findFirst().orElse(""));
        }
    }

    /** Probes everything; run only with a short step timeout. */
    @UserTests
    @WithTcpServer
    static class Probe {

        @Test
        void probe(@TcpServer(verify = false) FakeTcpServer server) throws IOException {
            ConfigurationTest.probe(server, true);
        }
    }

    /** Probes all but the step timeout. */
    @UserTests
    @WithTcpServer
    static class QuickProbe {

        @Test
        void probe(@TcpServer FakeTcpServer server) throws IOException {
            ConfigurationTest.probe(server, false);
        }
    }

    @Test
    void withoutConfigurationTheCoreDefaultsApply() {
        seen.clear();

        TestKit.run(QuickProbe.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(seen.get("address")).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(seen).containsEntry("recorded", 100).containsEntry("truncated", false);
    }

    @Test
    void configurationParametersSetTheDefaults() throws SocketException {
        assumeTrue(TestKit.hasIpv6Loopback(), "this machine has no ::1");
        seen.clear();

        TestKit.run(Map.of("tcpfixture.server.stepTimeout", "PT0.3S", "tcpfixture.server.recordingLimit", "16",
                "tcpfixture.server.bindAddress", "::1"), Probe.class)
                .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(seen.get("address")).isInstanceOf(Inet6Address.class)
                .satisfies(address -> assertThat(((InetAddress) address).isLoopbackAddress()).isTrue());
        assertThat(seen.get("failure")).asString().contains("within 300 ms");
        assertThat(seen).containsEntry("recorded", 16).containsEntry("truncated", true);
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, 127.0.0.1", "localhost, 127.0.0.1", "' [::1] ', 0:0:0:0:0:0:0:1"})
    void theBindAddressMayBeALoopbackLiteralOrLocalhost(String configured, String clientHost)
            throws SocketException {
        assumeTrue(!clientHost.contains(":") || TestKit.hasIpv6Loopback(), "this machine has no ::1");
        seen.clear();

        TestKit.run(Map.of("tcpfixture.server.bindAddress", configured), QuickProbe.class)
                .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(((InetAddress) seen.get("address")).getHostAddress()).isEqualTo(clientHost);
    }

    @UserTests
    static class BuilderOptions {

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder()
                .stepTimeout(Duration.ofMillis(200))
                .recordingLimit(10)
                .bindAddress(InetAddress.getLoopbackAddress())
                .build();

        @Test
        void probe(@TcpServer(verify = false) FakeTcpServer server) throws IOException {
            ConfigurationTest.probe(server, true);
        }
    }

    @Test
    void builderOptionsWinOverConfigurationParameters() {
        seen.clear();

        TestKit.run(Map.of("tcpfixture.server.stepTimeout", "PT10S", "tcpfixture.server.recordingLimit", "50",
                "tcpfixture.server.bindAddress", "::1"), BuilderOptions.class)
                .testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(seen.get("address")).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(seen.get("failure")).asString().contains("within 200 ms");
        assertThat(seen).containsEntry("recorded", 10);
    }

    @UserTests
    static class Ipv6Builder {

        @RegisterExtension
        static TcpServerExtension extension = TcpServerExtension.builder().ipv6().build();

        @Test
        void address(@TcpServer InetSocketAddress address) throws IOException {
            seen.put("address", address.getAddress());
            seen.put("reply", TestKit.converse(address, "PING"));
        }
    }

    @Test
    void theIpv6BuilderOptionBindsTheIpv6Loopback() throws SocketException {
        assumeTrue(TestKit.hasIpv6Loopback(), "this machine has no ::1");
        seen.clear();

        TestKit.run(Ipv6Builder.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(seen.get("address")).isInstanceOf(Inet6Address.class);
        assertThat(seen.get("reply")).isEqualTo(List.of());
    }

    @Test
    void theBuilderRejectsInvalidOptions() {
        TcpServerExtension.Builder builder = TcpServerExtension.builder();

        // the messages of FakeTcpServer.Builder, which validates every option
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.stepTimeout(Duration.ZERO))
                .withMessage("stepTimeout must be positive, was 0 ms");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.recordingLimit(-1))
                .withMessage("recordingLimit must not be negative, was -1");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.lineLimit(0))
                .withMessage("lineLimit must be at least 1, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.backlog(0))
                .withMessage("backlog must be at least 1, was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> builder.charset(StandardCharsets.UTF_16))
                .withMessageStartingWith("charset must encode ASCII");
        assertThat(builder.stepTimeout(Duration.ofSeconds(1))).as("immutable").isNotSameAs(builder);
        assertThat(builder.stepTimeout(Duration.ofSeconds(1)).build()).hasToString(
                "TcpServerExtension[stepTimeout=PT1S]");
        assertThat(builder.allowUnusedScripts().backlog(8).lineLimit(80).charset(StandardCharsets.ISO_8859_1)
                .mode(ConnectionMode.REFUSE).build()).hasToString("TcpServerExtension[lineLimit=80, "
                        + "charset=ISO-8859-1, backlog=8, mode=REFUSE, allowUnusedScripts=true]");
        assertThat(builder.ipv6().build()).hasToString("TcpServerExtension[bindAddress=::1]");
    }

    // ---- invalid values ----

    @UserTests
    @WithTcpServer
    static class ParameterAndField {

        @TcpServer
        FakeTcpServer field;

        @Test
        void parameter(@TcpServer("other") FakeTcpServer server) {
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tcpfixture.server.stepTimeout    | 2s           | expected an ISO-8601 duration such as PT2S",
            "tcpfixture.server.stepTimeout    | PT0S         | stepTimeout must be positive, was 0 ms",
            "tcpfixture.server.recordingLimit | -1           | recordingLimit must not be negative, was -1",
            "tcpfixture.server.lineLimit      | 0            | lineLimit must be at least 1, was 0",
            "tcpfixture.server.charset        | UTF-16       | charset must encode ASCII",
            "tcpfixture.server.backlog        | -5           | backlog must be at least 1, was -5",
            "tcpfixture.server.bindAddress    | nowhere      | expected an address literal such as 127.0.0.1"})
    void anInvalidConfigurationParameterFailsLoudlyNamingKeyAndValue(String key, String value, String reason) {
        EngineExecutionResults results = TestKit.run(Map.of(key, value), ParameterAndField.class);

        results.testEvents().assertStatistics(stats -> stats.started(1).failed(1));
        // the field is injected first, in beforeEach, so the failure comes from there
        assertThat(TestKit.failureOf(results, "parameter"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("Invalid value '" + value + "' for configuration parameter '" + key + "': "
                        + reason);
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }

    @UserTests
    @WithTcpServer
    static class ParameterOnly {

        @Test
        void parameter(@TcpServer FakeTcpServer server) {
        }
    }

    @Test
    void anInvalidValueFailsParameterResolutionWithTheConfigurationErrorAsCause() {
        EngineExecutionResults results = TestKit.run(Map.of("tcpfixture.server.recordingLimit", "many"),
                ParameterOnly.class);

        assertThat(TestKit.failureOf(results, "parameter"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("Invalid value 'many' for configuration parameter "
                        + "'tcpfixture.server.recordingLimit'")
                .cause().isInstanceOf(ExtensionConfigurationException.class);
    }

    @Test
    void anInvalidValueFailsEvenWhenTheBuilderOverridesIt() {
        EngineExecutionResults results = TestKit.run(Map.of("tcpfixture.server.stepTimeout", "soon"),
                BuilderOptions.class);

        assertThat(TestKit.failureOf(results, "probe"))
                .hasMessageContaining("Invalid value 'soon' for configuration parameter "
                        + "'tcpfixture.server.stepTimeout'");
    }

    // ---- the options of one server, on its element ----

    @UserTests
    static class Attributes {

        @TcpServer(charset = "ISO-8859-1", lineLimit = 8, recordingLimit = 64)
        FakeTcpServer latin1;

        @Test
        void probe(@TcpServer(value = "strict", stepTimeout = "PT0.2S", verify = false) FakeTcpServer strict)
                throws IOException {
            try (Socket socket = new Socket(latin1.host(), latin1.port())) {
                socket.getOutputStream().write(new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
            }
            RecordedConnection connection = latin1.takeConnection(Duration.ofSeconds(5));
            connection.awaitQuiet();
            seen.put("text", connection.receivedText());

            strict.enqueue(Script.create().expectLine("HELLO"));
            try (Socket socket = new Socket(strict.host(), strict.port())) {
                socket.setSoTimeout(5_000);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            seen.put("failure", strict.failures().get(0).message());
        }
    }

    @Test
    void theAttributesOfAnElementSetTheOptionsOfItsServer() {
        seen.clear();

        TestKit.run(Attributes.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));

        assertThat(seen.get("text")).isEqualTo("caf\u00e9\n");
        assertThat(seen.get("failure")).asString().contains("within 200 ms");
    }

    @UserTests
    static class BadAttribute {

        @TcpServer(lineLimit = 0)
        FakeTcpServer server;

        @Test
        void test() {
        }
    }

    @Test
    void anAttributeTheBuilderRejectsFailsNamingTheElement() {
        EngineExecutionResults results = TestKit.run(BadAttribute.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid @TcpServer(lineLimit = 0) on field [FakeTcpServer "
                        + BadAttribute.class.getName() + ".server]: lineLimit must be at least 1, was 0");
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }
}
