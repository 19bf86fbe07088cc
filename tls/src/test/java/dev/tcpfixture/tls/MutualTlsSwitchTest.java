package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ClientAuth;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TlsClient;
import dev.tcpfixture.TlsVersion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mutual TLS and pinned versions through the one switch ({@code tls().tlsClientAuth(...).tlsVersions(...)}): what a
 * JDK client sees, every round, for timed and untimed connects, clients that write first and clients that read
 * first, under load on every core. Loopback only.
 */
@Timeout(300)
class MutualTlsSwitchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final String BAD_CERTIFICATE = "javax.net.ssl.SSLHandshakeException: Received fatal alert: "
            + "bad_certificate";
    private static final String PROTOCOL_VERSION = "handshake: javax.net.ssl.SSLHandshakeException: Received fatal "
            + "alert: protocol_version";

    /** How a client talks: whether its connect is timed, and whether it writes before it reads. */
    enum Client {
        UNTIMED_WRITE_FIRST(false, true), TIMED_WRITE_FIRST(true, true), UNTIMED_READ_FIRST(false, false),
        TIMED_READ_FIRST(true, false);

        final boolean timed;
        final boolean writeFirst;

        Client(boolean timed, boolean writeFirst) {
            this.timed = timed;
            this.writeFirst = writeFirst;
        }
    }

    /** Runs one client against 127.0.0.1 (host name checked against "localhost"); returns what it read, or where and how it failed. */
    static String run(Client client, SSLContext context, int port, String protocol) {
        String stage = "connect";
        try (Socket plain = new Socket()) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            if (client.timed) {
                plain.connect(address, TIMEOUT_MILLIS);
            } else {
                plain.connect(address);
            }
            plain.setSoTimeout(TIMEOUT_MILLIS);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setProtocols(new String[] {protocol});
                socket.setSSLParameters(parameters);
                stage = "handshake";
                socket.startHandshake();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                if (client.writeFirst) {
                    stage = "write";
                    socket.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                }
                stage = "read";
                return "read " + in.readLine() + " over " + socket.getSession().getProtocol();
            }
        } catch (IOException e) {
            return stage + ": " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    /** A script for both kinds of client: greets, then takes the client's line if it sends one. */
    private static Script greeting() {
        return Script.create().sendLine("hi");
    }

    @ParameterizedTest(name = "{0}, {1}, {2} rounds")
    @CsvSource({
        "TLSv1.3, UNTIMED_WRITE_FIRST, 100", "TLSv1.3, TIMED_WRITE_FIRST, 100",
        "TLSv1.3, UNTIMED_READ_FIRST, 25", "TLSv1.3, TIMED_READ_FIRST, 25",
        "TLSv1.2, UNTIMED_WRITE_FIRST, 100", "TLSv1.2, TIMED_WRITE_FIRST, 100",
        "TLSv1.2, UNTIMED_READ_FIRST, 25", "TLSv1.2, TIMED_READ_FIRST, 25"})
    void requiredClientCertificateMissingIsTheSameAlertEveryRound(String protocol, Client client, int rounds)
            throws Exception {
        // TLS 1.3: the client's handshake completes before the server judges the (empty) certificate: the alert
        // meets the client's first read. TLS 1.2: it meets startHandshake(). Never a reset or a broken pipe.
        String expected = (protocol.equals("TLSv1.3") ? "read: " : "handshake: ") + BAD_CERTIFICATE;
        Map<String, Integer> outcomes = new TreeMap<>();
        try (FakeTcpServer server = FakeTcpServer.builder().tls().tlsClientAuth(ClientAuth.REQUIRE).start();
                Busy busy = Busy.everyCore()) {
            SSLContext noCertificate = server.tlsClient().sslContext();
            for (int round = 0; round < rounds; round++) {
                server.enqueue(greeting());
                outcomes.merge(run(client, noCertificate, server.port(), protocol), 1, Integer::sum);
                RecordedConnection connection = server.takeConnection(WAIT);
                assertThat(connection.awaitQuiet()).isTrue();
                assertThat(connection.transcript()).contains("TLS handshake failed: Empty client certificate chain")
                        .doesNotContain("server reset");
            }
        }
        assertThat(outcomes).containsExactly(Map.entry(expected, rounds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void requiredClientCertificateIsPresentedAndRecorded(String protocol) throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tlsClientAuth(ClientAuth.REQUIRE).tls().start()) {
            server.enqueue(greeting().expectLine("hello"));
            SSLContext alice = server.tlsClient().sslContextWithClientCertificate("alice");
            assertThat(run(Client.TIMED_WRITE_FIRST, alice, server.port(), protocol))
                    .isEqualTo("read hi over " + protocol);
            server.verify();
            assertThat(server.takeConnection(WAIT).transcript()).contains("client certificate CN=alice")
                    .contains(protocol);
        }
    }

    @Test
    void requestedClientCertificateIsOptional() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().tlsClientAuth(ClientAuth.REQUEST).start()) {
            server.enqueue(greeting().expectLine("hello"));
            server.enqueue(greeting().expectLine("hello"));
            assertThat(run(Client.TIMED_WRITE_FIRST, server.tlsClient().sslContext(), server.port(), "TLSv1.3"))
                    .isEqualTo("read hi over TLSv1.3");
            assertThat(run(Client.TIMED_WRITE_FIRST, server.tlsClient().sslContextWithClientCertificate("bob"),
                    server.port(), "TLSv1.3")).isEqualTo("read hi over TLSv1.3");
            server.verify();
            assertThat(server.takeConnection(WAIT).transcript()).doesNotContain("client certificate CN=");
            assertThat(server.takeConnection(WAIT).transcript()).contains("client certificate CN=bob");
        }
    }

    @ParameterizedTest(name = "server {0}, client {1}")
    @CsvSource({"TLS_1_2, TLSv1.3", "TLS_1_3, TLSv1.2"})
    void pinnedVersionRefusesAClientThatRequiresTheOtherEveryRound(TlsVersion pinned, String clientProtocol)
            throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        int rounds = 0;
        try (FakeTcpServer server = FakeTcpServer.builder().tls().tlsVersions(pinned).start();
                Busy busy = Busy.everyCore()) {
            SSLContext trust = server.tlsClient().sslContext();
            for (Client client : Client.values()) {
                for (int round = 0; round < 25; round++, rounds++) {
                    server.enqueue(greeting());
                    outcomes.merge(run(client, trust, server.port(), clientProtocol), 1, Integer::sum);
                    RecordedConnection connection = server.takeConnection(WAIT);
                    assertThat(connection.awaitQuiet()).isTrue();
                    assertThat(connection.transcript()).contains("TLS handshake failed: The client supported "
                            + "protocol versions [" + clientProtocol + "] are not accepted by server preferences ["
                            + pinned.protocolName() + "]");
                }
            }
        }
        assertThat(outcomes).containsExactly(Map.entry(PROTOCOL_VERSION, rounds));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void pinnedVersionNegotiatesWithAClientThatOffersBoth(String protocol) throws Exception {
        TlsVersion pinned = protocol.equals("TLSv1.2") ? TlsVersion.TLS_1_2 : TlsVersion.TLS_1_3;
        try (FakeTcpServer server = FakeTcpServer.builder().tls().tlsVersions(pinned).start()) {
            server.enqueue(greeting());
            SSLContext trust = server.tlsClient().sslContext();
            try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", server.port())) {
                socket.setSoTimeout(TIMEOUT_MILLIS);
                socket.setEnabledProtocols(new String[] {"TLSv1.2", "TLSv1.3"});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
            }
            server.verify();
        }
    }

    @Test
    void optionsWithoutTlsFailWhenTheServerStarts() {
        assertThatThrownBy(() -> FakeTcpServer.builder().tlsClientAuth(ClientAuth.REQUIRE)
                .tlsVersions(TlsVersion.TLS_1_2).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tlsClientAuth(REQUIRE) and tlsVersions(TLS_1_2) need a TLS server: add tls() (or "
                        + "startTls() for STARTTLS) to the builder");
    }

    @Test
    void clientCertificatesNeedTheLibrarysTrust() {
        try (TlsClient trust = TlsClient.trusting(CertificateAuthority.shared().certificate())) {
            assertThatThrownBy(() -> trust.sslContextWithClientCertificate("alice"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("sslContext(X509KeyManager)");
        }
    }
}
