package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.TlsVersion;
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

    @UserTests
    static class AskingForAFault {

        @Test
        void test(@TcpServer(tlsFault = TlsFault.EXPIRED) FakeTcpServer server) {
        }
    }

    @UserTests
    static class AskingForTwoFaults {

        @Test
        void test(@TcpServer(tlsFault = {TlsFault.EXPIRED, TlsFault.WRONG_HOST}) FakeTcpServer server) {
        }
    }

    @UserTests
    static class PlainThenAFault {

        @Test
        void test(@TcpServer FakeTcpServer first, @TcpServer(tlsFault = TlsFault.WRONG_HOST) FakeTcpServer second) {
        }
    }

    @UserTests
    static class AskingForMutualTlsWithoutTls {

        @Test
        void test(@TcpServer(tlsClientAuth = ClientAuth.REQUIRE, tlsVersions = TlsVersion.TLS_1_2)
                FakeTcpServer server) {
        }
    }

    @UserTests
    static class PlainThenPinned {

        @Test
        void test(@TcpServer FakeTcpServer first, @TcpServer(tlsVersions = {TlsVersion.TLS_1_2, TlsVersion.TLS_1_3})
                FakeTcpServer second) {
        }
    }

    @Test
    void clientAuthAndVersionsWithoutTlsFailNamingBoth() {
        EngineExecutionResults results = TestKit.run(AskingForMutualTlsWithoutTls.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Invalid @TcpServer on parameter [")
                .hasMessageContaining("tlsClientAuth(REQUIRE) and tlsVersions(TLS_1_2) need a TLS server");
    }

    @Test
    void versionsOnAServerCreatedWithoutThemAreAConflict() {
        EngineExecutionResults results = TestKit.run(PlainThenPinned.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("asks for tlsVersions = {TLS_1_2, TLS_1_3}, but it was created with the default "
                        + "tlsVersions");
    }

    @Test
    void clientAuthAndVersionsAreNoConfigurationParameters() {
        TestKit.run(Map.of("tcpfixture.server.tlsClientAuth", "REQUIRE", "tcpfixture.server.tlsVersions", "TLS_1_2"),
                Plain.class).testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aFaultWithoutTheTlsModuleFailsNamingIt() {
        EngineExecutionResults results = TestKit.run(AskingForAFault.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Invalid @TcpServer(tlsFault = EXPIRED)")
                .hasMessageContaining("dev.tcpfixture:tcpfixture-tls");
    }

    @Test
    void moreThanOneFaultFailsNamingTheElement() {
        EngineExecutionResults results = TestKit.run(AskingForTwoFaults.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .cause().isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("Invalid @TcpServer(tlsFault = {EXPIRED, WRONG_HOST}) on parameter [")
                .hasMessageContaining("AskingForTwoFaults.test(")
                .hasMessageContaining("expected at most one of [EXPIRED, NOT_YET_VALID, WRONG_HOST, "
                        + "UNTRUSTED_ISSUER, SELF_SIGNED]");
    }

    @Test
    void aFaultOnAServerCreatedWithoutOneIsAConflict() {
        EngineExecutionResults results = TestKit.run(PlainThenAFault.class);

        assertThat(TestKit.failureOf(results, "test"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("asks for tlsFault = WRONG_HOST, but it was created with the default tlsFault");
    }

    @Test
    void theFaultIsNoConfigurationParameter() {
        TestKit.run(Map.of("tcpfixture.server.tlsFault", "EXPIRED"), Plain.class).testEvents()
                .assertStatistics(stats -> stats.started(1).succeeded(1));
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
