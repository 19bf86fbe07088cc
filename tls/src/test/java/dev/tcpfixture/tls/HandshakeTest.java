package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.TlsVersion;
import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.security.cert.CertPathBuilderException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real handshakes on 127.0.0.1 with the trusted material: JDK clients connect, pinned versions hold, mutual TLS
 * presents and checks client certificates; the refusals that come from configuration (a version mismatch, a
 * missing or untrusted client certificate) give the exceptions tested here, 20 rounds each.
 */
class HandshakeTest {
    private static final int ROUNDS = 20;
    private static final CertificateAuthority AUTHORITY = CertificateAuthority.shared();
    private static final SSLContext TRUSTING = AUTHORITY.clientTrust().sslContext();
    private static HttpClient httpClient = TestClients.httpClient(TRUSTING);

    @AfterAll
    static void dropHttpClient() {
        httpClient = null; // JDK 17's HttpClient has no close(); its threads end once it is unreachable
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "::1"})
    void sslSocketCheckingTheHostNameConnectsForEachNameOfTheServerCertificate(String host) throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls())) {
            assertThat(TestClients.sslSocketEcho(TRUSTING, host, server.port(), true)).isEqualTo("hello");
            TestTlsServer.Handshake handshake = server.nextHandshake();
            assertThat(handshake.succeeded()).isTrue();
            assertThat(handshake.protocol()).isEqualTo("TLSv1.3");
            assertThat(handshake.clientSubject()).isNull();
        }
    }

    @Test
    void httpsUrlConnectionConnects() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls())) {
            assertThat(TestClients.httpsUrlConnectionGet(TRUSTING, server.port())).isEqualTo("ok TLSv1.3");
        }
    }

    @Test
    void httpClientConnects() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls())) {
            assertThat(TestClients.httpClientGet(httpClient, server.port())).isEqualTo("ok TLSv1.3");
        }
    }

    @Test
    void socketFactoryOfTheClientTrustConnects() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls());
                javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) AUTHORITY.clientTrust().socketFactory()
                        .createSocket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()), TestTlsServer.TIMEOUT_MILLIS);
            socket.setSoTimeout(TestTlsServer.TIMEOUT_MILLIS);
            socket.startHandshake();
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(AUTHORITY.serverCertificate().certificate());
        }
    }

    @Test
    void serverPinnedToTls12NegotiatesTls12WithADefaultClient() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withVersions(TlsVersion.TLS_1_2))) {
            assertThat(TestClients.httpClientGet(httpClient, server.port())).isEqualTo("ok TLSv1.2");
            assertThat(server.nextHandshake().protocol()).isEqualTo("TLSv1.2");
        }
    }

    @Test
    void serverPinnedToTls13NegotiatesTls13WithAClientThatAlsoOffers12() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withVersions(TlsVersion.TLS_1_3))) {
            TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), true, "TLSv1.2", "TLSv1.3");
            assertThat(server.nextHandshake().protocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void serverPinnedToTls12RefusesAClientThatRequires13() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withVersions(TlsVersion.TLS_1_2))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertThatThrownBy(() -> TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), true, "TLSv1.3"))
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage("Received fatal alert: protocol_version");
                assertThat(server.nextHandshake().failure())
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage("The client supported protocol versions [TLSv1.3] are not accepted by server preferences [TLSv1.2]");
            }
        }
    }

    @Test
    void serverPinnedToTls13RefusesAClientThatRequires12() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withVersions(TlsVersion.TLS_1_3))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertThatThrownBy(() -> TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), true, "TLSv1.2"))
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage("Received fatal alert: protocol_version");
                assertThat(server.nextHandshake().failure())
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage("The client supported protocol versions [TLSv1.2] are not accepted by server preferences [TLSv1.3]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void requiredClientCertificateIsPresentedAndSeenByTheServer(String protocol) throws Exception {
        SSLContext withCertificate = AUTHORITY.clientTrust().sslContext(AUTHORITY.clientCertificate("alice").keyManager());
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withClientAuth(ClientAuth.REQUIRE))) {
            assertThat(TestClients.sslSocketEcho(withCertificate, "127.0.0.1", server.port(), true, protocol)).isEqualTo("hello");
            TestTlsServer.Handshake handshake = server.nextHandshake();
            assertThat(handshake.protocol()).isEqualTo(protocol);
            assertThat(handshake.clientSubject()).isEqualTo("CN=alice");
        }
    }

    @Test
    void httpClientPresentsItsClientCertificate() throws Exception {
        HttpClient withCertificate = TestClients.httpClient(
                AUTHORITY.clientTrust().sslContext(AUTHORITY.clientCertificate("http client").keyManager()));
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withClientAuth(ClientAuth.REQUIRE))) {
            assertThat(TestClients.httpClientGet(withCertificate, server.port())).isEqualTo("ok TLSv1.3");
            assertThat(server.nextHandshake().clientSubject()).isEqualTo("CN=http client");
        }
    }

    @Test
    void requestedClientCertificateIsOptional() throws Exception {
        SSLContext withCertificate = AUTHORITY.clientTrust().sslContext(AUTHORITY.clientCertificate("bob").keyManager());
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withClientAuth(ClientAuth.REQUEST))) {
            assertThat(TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), true)).isEqualTo("hello");
            assertThat(server.nextHandshake().clientSubject()).isNull();
            assertThat(TestClients.sslSocketEcho(withCertificate, "127.0.0.1", server.port(), true)).isEqualTo("hello");
            assertThat(server.nextHandshake().clientSubject()).isEqualTo("CN=bob");
        }
    }

    @Test
    void missingRequiredClientCertificateIsABadCertificateAlertForA13ClientThatReadsFirst() throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withClientAuth(ClientAuth.REQUIRE))) {
            for (int round = 0; round < ROUNDS; round++) {
                // TLS 1.3: the client's handshake is over before the server has read its (empty) certificate, so the
                // alert comes on the first read; the client's whole flight was read, so no reset races it
                assertThatThrownBy(() -> TestClients.sslSocketHandshakeThenRead(TRUSTING, server.port(), "TLSv1.3"))
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessage("Received fatal alert: bad_certificate");
                assertEmptyClientChain(server.nextHandshake());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void missingRequiredClientCertificateIsTheAlertOrABrokenPipeForAClientThatWritesFirst(String protocol) throws Exception {
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withClientAuth(ClientAuth.REQUIRE))) {
            for (int round = 0; round < ROUNDS; round++) {
                // the JDK's server socket closes right after its alert, with client data unread: the kernel resets
                // the connection, and a client still writing sees that before the alert
                assertAlertOrBrokenConnection(
                        () -> TestClients.sslSocketEcho(TRUSTING, "127.0.0.1", server.port(), true, protocol),
                        "Received fatal alert: bad_certificate");
                assertEmptyClientChain(server.nextHandshake());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void clientCertificateFromAnotherAuthorityIsRefusedByTheServer(String protocol) throws Exception {
        SSLContext foreign = AUTHORITY.clientTrust().sslContext(
                CertificateAuthority.create("other test CA").clientCertificate("mallory").keyManager());
        try (TestTlsServer server = new TestTlsServer(AUTHORITY.serverTls().withClientAuth(ClientAuth.REQUIRE))) {
            for (int round = 0; round < ROUNDS; round++) {
                assertAlertOrBrokenConnection(
                        () -> TestClients.sslSocketEcho(foreign, "127.0.0.1", server.port(), true, protocol),
                        "Received fatal alert: certificate_unknown");
                Exception failure = server.nextHandshake().failure();
                assertThat(failure)
                        .isExactlyInstanceOf(SSLHandshakeException.class)
                        .hasMessageStartingWith("PKIX path building failed")
                        .hasMessageEndingWith("unable to find valid certification path to requested target")
                        .hasRootCauseInstanceOf(CertPathBuilderException.class);
            }
        }
    }

    private static void assertEmptyClientChain(TestTlsServer.Handshake handshake) {
        assertThat(handshake.failure())
                .isExactlyInstanceOf(SSLHandshakeException.class)
                .hasMessage("Empty client certificate chain");
    }

    private static void assertAlertOrBrokenConnection(ThrowingCallable client, String alert) {
        assertThatThrownBy(client).isInstanceOf(IOException.class).satisfiesAnyOf(
                thrown -> assertThat(thrown).isExactlyInstanceOf(SSLHandshakeException.class).hasMessage(alert),
                thrown -> assertThat(thrown).isExactlyInstanceOf(SocketException.class).hasMessage("Broken pipe"),
                thrown -> assertThat(thrown).isExactlyInstanceOf(SocketException.class).hasMessage("Connection reset"));
    }
}
