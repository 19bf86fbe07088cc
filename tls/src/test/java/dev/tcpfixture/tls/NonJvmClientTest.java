package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.TlsVersion;
import dev.tcpfixture.TlsClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients outside the JVM trusting the authority through the PEM file: Python's {@code ssl} module (OpenSSL, with
 * the stricter X.509 checks Python 3.13 makes the default) and curl. Every process runs under a time limit.
 */
class NonJvmClientTest {
    private static final int ROUNDS = 20;
    private static final CertificateAuthority AUTHORITY = CertificateAuthority.shared();
    private static final Path PYTHON_CLIENT =
            Path.of(System.getProperty("basedir", "."), "target", "test-classes", "dev", "tcpfixture", "tls", "tls_client.py");

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1"})
    void pythonTrustingThePemFileConnectsForEachNameOfTheServerCertificate(String serverHostname) throws Exception {
        try (TlsClient files = AUTHORITY.clientTrust();
                TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls())) {
            ExternalProcess.Result result = python(files, serverHostname, server.port(), 3);

            assertThat(result.lines()).containsExactly("ok TLSv1.3 hello", "ok TLSv1.3 hello", "ok TLSv1.3 hello");
            assertThat(result.exitCode()).isZero();
        }
    }

    @Test
    void pythonConnectsToAServerPinnedToTls12() throws Exception {
        try (TlsClient files = AUTHORITY.clientTrust();
                TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withVersions(TlsVersion.TLS_1_2))) {
            assertThat(python(files, "localhost", server.port(), 1).lines()).containsExactly("ok TLSv1.2 hello");
        }
    }

    /** OpenSSL's verify codes are stable across versions; the messages are OpenSSL 3.0's. */
    @ParameterizedTest(name = "{0}: code {1}, {2}")
    @CsvSource(delimiter = '|', value = {
        "EXPIRED          | 10 | certificate has expired",
        "NOT_YET_VALID    | 9  | certificate is not yet valid",
        "WRONG_HOST       | 64 | IP address mismatch, certificate is not valid for '127.0.0.1'.",
        "UNTRUSTED_ISSUER | 20 | unable to get local issuer certificate",
        "SELF_SIGNED      | 18 | self-signed certificate"})
    void pythonRefusesEachFaultWithOpenSslsVerifyError(CertificateFault fault, int code, String message) throws Exception {
        try (TlsClient files = AUTHORITY.clientTrust();
                TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(fault)))) {
            ExternalProcess.Result result = python(files, "127.0.0.1", server.port(), ROUNDS);

            assertThat(result.lines()).hasSize(ROUNDS).containsOnly("verify-error " + code + " " + message);
        }
    }

    @Test
    void pythonNamesTheDnsNameOfAWrongHost() throws Exception {
        try (TlsClient files = AUTHORITY.clientTrust();
                TestTlsServer server = new TestTlsServer(
                        AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(CertificateFault.WRONG_HOST)))) {
            assertThat(python(files, "localhost", server.port(), 1).lines())
                    .containsExactly("verify-error 62 Hostname mismatch, certificate is not valid for 'localhost'.");
        }
    }

    @Test
    void curlTrustingThePemFileGetsTheResponse() throws Exception {
        try (TlsClient files = AUTHORITY.clientTrust();
                TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls())) {
            ExternalProcess.Result result = curl(files, server.port());

            assertThat(result.output()).isEqualTo("ok TLSv1.3");
            assertThat(result.exitCode()).isZero();
        }
    }

    @Test
    void curlRefusesAnExpiredCertificate() throws Exception {
        try (TlsClient files = AUTHORITY.clientTrust();
                TestTlsServer server = new TestTlsServer(
                        AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(CertificateFault.EXPIRED)))) {
            ExternalProcess.Result result = curl(files, server.port());

            assertThat(result.exitCode()).as("curl's CURLE_PEER_FAILED_VERIFICATION").isEqualTo(60);
            assertThat(result.output()).contains("certificate has expired");
        }
    }

    private static ExternalProcess.Result python(TlsClient files, String serverHostname, int port, int rounds)
            throws Exception {
        return ExternalProcess.run(List.of("python3", PYTHON_CLIENT.toString(), files.pemFile().toString(),
                serverHostname, String.valueOf(port), String.valueOf(rounds)));
    }

    private static ExternalProcess.Result curl(TlsClient files, int port) throws Exception {
        return ExternalProcess.run(List.of("curl", "--silent", "--show-error", "--max-time", "20", "--noproxy", "*",
                "--cacert", files.pemFile().toString(), "https://127.0.0.1:" + port + "/"));
    }
}
