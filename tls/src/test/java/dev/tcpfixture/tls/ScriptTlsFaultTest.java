package dev.tcpfixture.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.TlsFault;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Script.tlsFault(fault)}: one connection's handshake presents the faulty certificate, the others the normal
 * one, on the same server; a JDK client that checks host names refuses it with the exception {@link TlsFault}
 * documents, every round. Loopback only.
 */
@Timeout(180)
class ScriptTlsFaultTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int ROUNDS = 10;

    private static Throwable refusal(SSLContext trust, int port) {
        try {
            String answer = TestClients.sslSocketEcho(trust, "127.0.0.1", port, true);
            throw new AssertionError("the client accepted the certificate and read " + answer);
        } catch (IOException e) {
            return e;
        }
    }

    private static Throwable root(Throwable thrown) {
        Throwable current = thrown;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    @ParameterizedTest
    @EnumSource(TlsFault.class)
    void onlyTheConnectionWhoseScriptSaysSoGetsTheFaultyCertificate(TlsFault fault) throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            SSLContext trust = server.tlsClient().sslContext();
            for (int round = 0; round < ROUNDS; round++) {
                server.enqueue(Script.create().tlsFault(fault));
                server.enqueue(Script.create().expectLine("hello").sendLine("hi"));

                Throwable thrown = refusal(trust, server.port());
                assertThat(thrown).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining(TlsFaultSwitchTest.expectedMessage(fault));
                assertThat(root(thrown)).isInstanceOf(TlsFaultSwitchTest.expectedRootCause(fault));
                RecordedConnection faulty = server.takeConnection(WAIT);
                assertThat(faulty.awaitQuiet()).isTrue();
                assertThat(faulty.transcript())
                        .contains("TLS handshake failed: Received fatal alert: certificate_unknown");
                assertThat(faulty.failures()).as("nothing was expected after the fault").isEmpty();

                assertThat(TestClients.sslSocketEcho(trust, "127.0.0.1", server.port(), true)).isEqualTo("hi");
                assertThat(server.takeConnection(WAIT).transcript()).contains("TLS handshake: TLSv1.3");
            }
            server.verify();
        }
    }

    @Test
    void aClientThatAcceptsTheCertificateGoesOnOverTls() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            server.enqueue(Script.create().tlsFault(TlsFault.WRONG_HOST).expectLine("hello").sendLine("hi"));
            assertThat(TestClients.sslSocketEcho(server.tlsClient().sslContext(), "127.0.0.1", server.port(), false))
                    .as("no host name check: the bug WRONG_HOST is there to find").isEqualTo("hi");
            server.verify();
            assertThat(server.takeConnection(WAIT).receivedLines()).containsExactly("hello");
        }
    }

    @Test
    void aRefusedCertificateFailsTheScriptIfItExpectedMore() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().tls().start()) {
            server.enqueue(Script.create().tlsFault(TlsFault.EXPIRED).expectLine("hello"));
            refusal(server.tlsClient().sslContext(), server.port());
            assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected line \"hello\" later, but TLS failed first")
                    .hasMessageContaining("TLS handshake with a certificate EXPIRED");
        }
    }

    @Test
    void startTlsServerPresentsTheFaultyCertificateAtTheUpgrade() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().startTls().start()) {
            server.enqueue(Script.create().sendLine("220 go ahead").tlsFault(TlsFault.NOT_YET_VALID));
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress("127.0.0.1", server.port()), TIMEOUT_MILLIS);
                plain.setSoTimeout(TIMEOUT_MILLIS);
                BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(),
                        StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("220 go ahead");
                SSLSocket socket = (SSLSocket) server.tlsClient().socketFactory()
                        .createSocket(plain, "localhost", server.port(), false);
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining(TlsFaultSwitchTest.expectedMessage(TlsFault.NOT_YET_VALID));
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitQuiet()).isTrue();
            assertThat(connection.transcript()).contains("TLS handshake failed");
            server.verify();
        }
    }

    @Test
    void theFaultMustReplaceTheHandshake() {
        try (FakeTcpServer tls = FakeTcpServer.builder().tls().start();
                FakeTcpServer plain = FakeTcpServer.start()) {
            assertThatThrownBy(() -> tls.enqueue(Script.create().sendLine("hi").tlsFault(TlsFault.EXPIRED)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be the first step");
            assertThatThrownBy(() -> plain.enqueue(Script.create().tlsFault(TlsFault.EXPIRED)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no TLS settings");
        }
    }
}
