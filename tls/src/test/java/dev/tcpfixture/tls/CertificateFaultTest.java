package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each {@link CertificateFault} against each JDK client that checks host names, 20 rounds each: the exact exception
 * the client sees (the table {@link #EXPECTED} is what {@link CertificateFault}'s Javadoc documents).
 */
class CertificateFaultTest {
    private static final int ROUNDS = 20;
    private static final CertificateAuthority AUTHORITY = CertificateAuthority.shared();
    private static final SSLContext TRUSTING = AUTHORITY.clientTrust().sslContext();
    private static HttpClient httpClient = TestClients.httpClient(TRUSTING);

    private static final String VALIDITY = "PKIX path validation failed: "
            + "java.security.cert.CertPathValidatorException: validity check failed";
    private static final String NO_PATH = "PKIX path building failed: "
            + "sun.security.provider.certpath.SunCertPathBuilderException: "
            + "unable to find valid certification path to requested target";

    /** The message of the client's {@code SSLHandshakeException}, and the type of the deepest cause. */
    record Expected(String message, Class<? extends Exception> rootCause) {
    }

    static final Map<CertificateFault, Expected> EXPECTED = Map.of(
            CertificateFault.EXPIRED, new Expected(VALIDITY, CertificateExpiredException.class),
            CertificateFault.NOT_YET_VALID, new Expected(VALIDITY, CertificateNotYetValidException.class),
            CertificateFault.WRONG_HOST, new Expected(
                    "No subject alternative names matching IP address 127.0.0.1 found", CertificateException.class),
            // the root cause is sun.security.provider.certpath.SunCertPathBuilderException, a CertPathBuilderException
            CertificateFault.UNTRUSTED_ISSUER, new Expected(NO_PATH, CertPathBuilderException.class),
            CertificateFault.SELF_SIGNED, new Expected(NO_PATH, CertPathBuilderException.class));

    enum Client {
        SSL_SOCKET_CHECKING_HOST_NAME, HTTPS_URL_CONNECTION, HTTP_CLIENT
    }

    @AfterAll
    static void dropHttpClient() {
        httpClient = null;
    }

    static Stream<Arguments> faultsAndClients() {
        List<Arguments> all = new ArrayList<>();
        for (CertificateFault fault : CertificateFault.values()) {
            for (Client client : Client.values()) {
                all.add(Arguments.of(fault, client));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} seen by {1}")
    @MethodSource("faultsAndClients")
    void clientSeesTheDocumentedException(CertificateFault fault, Client client) throws Exception {
        Expected expected = EXPECTED.get(fault);
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(fault)))) {
            for (int round = 0; round < ROUNDS; round++) {
                ThrowingCallable connect = connect(client, server.port());
                Throwable thrown = assertThatThrownBy(connect)
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage(expected.message())
                        .hasRootCauseInstanceOf(expected.rootCause())
                        .actual();
                if (client == Client.HTTP_CLIENT) {
                    // HttpClient.send rethrows the handshake's exception as a new one of the same type and message
                    assertThat(thrown.getCause()).isExactlyInstanceOf(SSLHandshakeException.class)
                            .hasMessage(expected.message());
                }
                if (fault == CertificateFault.WRONG_HOST) {
                    assertThat(thrown).hasRootCauseExactlyInstanceOf(CertificateException.class);
                }
                assertThat(server.nextHandshake().succeeded()).as("the server's side of round %d", round).isFalse();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CertificateFault.class, names = {"EXPIRED", "NOT_YET_VALID", "UNTRUSTED_ISSUER", "SELF_SIGNED"})
    void faultsOtherThanTheHostNameFailWithoutAHostNameCheckToo(CertificateFault fault) throws Exception {
        Expected expected = EXPECTED.get(fault);
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(fault)))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertThatThrownBy(() -> TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), false))
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage(expected.message())
                        .hasRootCauseInstanceOf(expected.rootCause());
                server.nextHandshake();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CertificateFault.class, names = "WRONG_HOST")
    void wrongHostNameGoesUnnoticedByASocketThatDoesNotCheckHostNames(CertificateFault fault) throws Exception {
        // the JDK's default for a bare SSLSocket: what a client that forgets endpoint identification gets
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(fault)))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertThat(TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), false)).isEqualTo("hello");
                assertThat(server.nextHandshake().succeeded()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = CertificateFault.class, names = "WRONG_HOST")
    void wrongHostNameForADnsNameNamesTheDnsName(CertificateFault fault) throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withKey(AUTHORITY.serverCertificate(fault)))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertThatThrownBy(() -> TestClients.sslSocketEcho(TRUSTING, "localhost", server.port(), true))
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage("No subject alternative DNS name matching localhost found.")
                        .hasRootCauseExactlyInstanceOf(CertificateException.class);
                server.nextHandshake();
            }
        }
    }

    private static ThrowingCallable connect(Client client, int port) {
        switch (client) {
            case SSL_SOCKET_CHECKING_HOST_NAME:
                return () -> TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", port, true);
            case HTTPS_URL_CONNECTION:
                return () -> TestClients.httpsUrlConnectionGet(TRUSTING, port);
            case HTTP_CLIENT:
                return () -> TestClients.httpClientGet(httpClient, port);
            default:
                throw new AssertionError(client);
        }
    }
}
