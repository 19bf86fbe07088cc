package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.TlsClient;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import dev.tcpfixture.tls.CertificateAuthority;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's Python client wrapped in TLS ({@code ssl.create_default_context(cafile=...)}, {@code wrap_socket})
 * against {@code @TcpServer(tls = true)}: it trusts only the PEM file the server hands out, checks the host name
 * (the address literal 127.0.0.1, an IP subject alternative name of the certificate), and the script and the
 * recording are the plaintext of the unencrypted test.
 */
@WithTcpServer
class PythonTlsTutorialClientTest {

    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

    @BeforeAll
    static void requirePython() {
        assertThat(PythonTutorialClient.isPythonAvailable())
                .as("python3 must be installed to run the tutorial's client (.ci/run installs it)")
                .isTrue();
    }

    @Test
    void tutorialClientOverTlsPrintsWhatTheServerSends(@TcpServer(tls = true) FakeTcpServer server) throws Exception {
        server.enqueue(Demo.ROMEO_SERVER);

        PythonTutorialClient.Result result = PythonTutorialClient.runTls(server.host(), server.port(),
                server.tlsClient().pemFile(), RUN_TIMEOUT);

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.stderr()).isZero();
        assertThat(result.stdout()).startsWith("HTTP/1.1 200 OK").endsWith(Demo.ROMEO);
        assertThat(result.stderr()).startsWith("TLSv1.");
        assertThat(server.takeConnection()).receivedText(Demo.ROMEO_REQUEST + "\r\n\r\n").wasClosedByServer();
        assertThat(server.transcript()).contains("TLSv1.");
    }

    @Test
    void withAnotherAuthoritysPemFilePythonRefusesTheServer(@TcpServer(tls = true, verify = false) FakeTcpServer server)
            throws Exception {
        try (TlsClient stranger = CertificateAuthority.create("Stranger CA").clientTrust()) {
            PythonTutorialClient.Result result = PythonTutorialClient.runTls(server.host(), server.port(),
                    stranger.pemFile(), RUN_TIMEOUT);

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("CERTIFICATE_VERIFY_FAILED");
        }
        assertThat(server.takeConnection().receivedText()).as("no plaintext got through").isEmpty();
    }
}
