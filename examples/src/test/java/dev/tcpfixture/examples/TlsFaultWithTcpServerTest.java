package dev.tcpfixture.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.TlsFault;
import dev.tcpfixture.junit.TcpServer;
import java.io.InputStream;
import java.net.Proxy;
import java.net.URL;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** {@code @TcpServer(tlsFault = ...)}: a TLS server with a faulty certificate, refused by an HttpsURLConnection. */
class TlsFaultWithTcpServerTest {

    /** Opens {@code https://<authority>/} on the server, trusting its normal authority; returns the status. */
    static int get(FakeTcpServer server) throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) new URL("https://" + server.authority() + "/")
                .openConnection(Proxy.NO_PROXY);
        connection.setSSLSocketFactory(server.tlsClient().sslContext().getSocketFactory());
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        try (InputStream body = connection.getInputStream()) {
            return connection.getResponseCode();
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void anExpiredCertificateIsRefused(@TcpServer(tlsFault = TlsFault.EXPIRED) FakeTcpServer server)
            throws Exception {
        assertThat(server.isTls()).isTrue();
        assertThatThrownBy(() -> get(server))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("validity check failed")
                .hasRootCauseInstanceOf(CertificateExpiredException.class);
        assertHandshakeFailureRecorded(server);
    }

    @Test
    void aCertificateForAnotherHostIsRefused(@TcpServer(tlsFault = TlsFault.WRONG_HOST) FakeTcpServer server)
            throws Exception {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> get(server))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1 found")
                .hasRootCauseInstanceOf(CertificateException.class);
        assertHandshakeFailureRecorded(server);
    }

    /**
     * The server notes the refused handshake in its transcript, but it is no failure: with nothing queued, the
     * default script records none, and the extension's verification after the test passes.
     */
    private static void assertHandshakeFailureRecorded(FakeTcpServer server) throws InterruptedException {
        assertThat(server.awaitUntil(() -> server.transcript().contains("TLS handshake failed"),
                Duration.ofSeconds(10))).as(server.transcript()).isTrue();
        assertThat(server.awaitQuiet()).isTrue();
        assertThat(server.failures()).as(server.transcript()).isEmpty();
    }
}
