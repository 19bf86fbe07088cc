package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The core's tests run without tcpfixture-tls: tls() without arguments must say what is missing, at once. */
class TlsWithoutMaterialTest {

    @Test
    void tlsWithoutTheTlsModuleFailsAtOnceNamingTheArtifactAndTheAlternative() {
        FakeTcpServer.Builder builder = FakeTcpServer.builder();

        assertThatThrownBy(builder::tls)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.tcpfixture:tcpfixture-tls")
                .hasMessageContaining("tls(SSLContext)");
        assertThatThrownBy(builder::startTls)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dev.tcpfixture:tcpfixture-tls")
                .hasMessageContaining("startTls(SSLContext)");
    }

    @Test
    void aCertificateFaultWithoutTheTlsModuleFailsTheSameWay() {
        for (TlsFault fault : TlsFault.values()) {
            assertThatThrownBy(() -> FakeTcpServer.builder().tls(fault))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("dev.tcpfixture:tcpfixture-tls")
                    .hasMessageContaining("tls(SSLContext)");
        }
        assertThatThrownBy(() -> FakeTcpServer.builder().tls((TlsFault) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void tlsClientIsOnlyForServersWithTheDefaultMaterial() {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            assertThatThrownBy(server::tlsClient)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("does not speak TLS");
        }
    }

    @Test
    void theServiceInterfaceIsExportedAndUsed() {
        Module core = FakeTcpServer.class.getModule();
        if (core.isNamed()) {
            assertThat(core.getDescriptor().uses()).contains("dev.tcpfixture.spi.TlsMaterialProvider");
            assertThat(core.isExported("dev.tcpfixture.spi")).isTrue();
        }
    }
}
