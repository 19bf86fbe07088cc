package dev.tcpfixture.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resolving the server options without starting servers: wildcard addresses are accepted when configured, but
 * never bound here (the tests of this project bind loopback only).
 */
class ServerDefaultsTest {

    /** An extension context that only answers configuration parameters. */
    private static ExtensionContext configuredWith(Map<String, String> parameters) {
        return (ExtensionContext) Proxy.newProxyInstance(ServerDefaultsTest.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("getConfigurationParameter") && arguments.length == 1) {
                        return Optional.ofNullable(parameters.get((String) arguments[0]));
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void withNothingConfiguredTheCoreDefaultsApply() {
        ServerDefaults defaults = ServerDefaults.resolve(ExtensionOptions.NONE, configuredWith(Map.of()));

        assertThat(defaults).isEqualTo(new ServerDefaults(FakeTcpServer.DEFAULT_STEP_TIMEOUT,
                FakeTcpServer.DEFAULT_RECORDING_LIMIT, InetAddress.getLoopbackAddress()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]"})
    void aWildcardAddressIsAcceptedWhenConfiguredExplicitly(String wildcard) {
        ServerDefaults defaults = ServerDefaults.resolve(ExtensionOptions.NONE,
                configuredWith(Map.of("tcpfixture.bindAddress", wildcard)));

        assertThat(defaults.bindAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void builderOptionsWin() {
        ExtensionOptions options = ExtensionOptions.NONE.withStepTimeout(Duration.ofSeconds(1))
                .withRecordingLimit(7).withBindAddress(ExtensionOptions.IPV6_LOOPBACK);

        ServerDefaults defaults = ServerDefaults.resolve(options, configuredWith(Map.of(
                "tcpfixture.stepTimeout", "PT9S", "tcpfixture.recordingLimit", "9", "tcpfixture.bindAddress",
                "127.0.0.1")));

        assertThat(defaults).isEqualTo(new ServerDefaults(Duration.ofSeconds(1), 7, ExtensionOptions.IPV6_LOOPBACK));
    }

    @Test
    void theBuilderAcceptsLoopbackAndWildcardAddressesOnly() throws Exception {
        assertThat(ExtensionOptions.NONE.withBindAddress(InetAddress.getByName("0.0.0.0")).bindAddress()
                .isAnyLocalAddress()).isTrue();
        assertThat(ExtensionOptions.NONE.withBindAddress(InetAddress.getByName("127.0.0.2")).bindAddress()
                .isLoopbackAddress()).isTrue();
        // ::2, neither loopback nor wildcard (an unassigned reserved address): only parsed, never bound or used
        InetAddress notLoopback = InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        assertThatIllegalArgumentException().isThrownBy(() -> ExtensionOptions.NONE.withBindAddress(notLoopback))
                .withMessage("bindAddress must be a loopback address (127.0.0.1, ::1) or, if meant, a wildcard "
                        + "address (0.0.0.0, ::), was 0:0:0:0:0:0:0:2");
    }

    @Test
    void anInvalidValueNamesTheKeyTheValueAndWhatIsExpected() {
        assertThatThrownBy(() -> ServerDefaults.resolve(ExtensionOptions.NONE,
                configuredWith(Map.of("tcpfixture.bindAddress", "::2"))))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("Invalid value '::2' for configuration parameter 'tcpfixture.bindAddress': "
                        + "expected 127.0.0.1, ::1 or localhost (or, to listen on every interface, 0.0.0.0 or ::)");
    }
}
