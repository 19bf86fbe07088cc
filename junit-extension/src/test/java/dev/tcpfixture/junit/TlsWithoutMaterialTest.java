package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The extension does not depend on tcpfixture-tls, and its tests run without it: {@code tls = true} then fails the
 * test at once, naming the missing artifact. (With it, see the examples module's TLS tests.)
 */
class TlsWithoutMaterialTest {

    @UserTests
    static class AskingForTls {

        @Test
        void test(@TcpServer(tls = true) FakeTcpServer server) {
        }
    }

    @UserTests
    static class Plain {

        @Test
        void test(@TcpServer FakeTcpServer server) {
        }
    }

    @Test
    void tlsWithoutTheTlsModuleFailsNamingIt() {
        EngineExecutionResults results = TestKit.run(AskingForTls.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Invalid @TcpServer(tls = true)")
                .hasMessageContaining("dev.tcpfixture:tcpfixture-tls")
                .hasMessageContaining("tls(SSLContext)");
    }

    @Test
    void theConfigurationParameterAsksForTlsToo() {
        EngineExecutionResults results = TestKit.run(Map.of(TcpServerExtension.TLS_KEY, "true"), Plain.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("tcpfixture.server.tls")
                .hasMessageContaining("dev.tcpfixture:tcpfixture-tls");
        TestKit.run(Map.of(TcpServerExtension.TLS_KEY, "false"), Plain.class).testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
    }
}
