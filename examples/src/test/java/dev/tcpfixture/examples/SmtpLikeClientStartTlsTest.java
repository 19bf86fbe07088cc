package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.tls.CertificateAuthority;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The SMTP-like client upgrading with STARTTLS: the server starts in plaintext ({@code builder().startTls()}, the
 * default certificate) and the script's {@code startTls()} step switches the same connection to TLS.
 */
class SmtpLikeClientStartTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    static Script startTlsSession() {
        return Script.create()
                .sendLine("220 mail.test ESMTP")
                .expectLine("STARTTLS")
                .sendLine("220 Ready to start TLS")
                .startTls()
                .expectLine("HELO client.test")
                .sendLine("250 mail.test")
                .expectLine("QUIT")
                .sendLine("221 Bye");
    }

    @Test
    void greetsUpgradesAndLeavesPolitelyOverTls() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().startTls().start()) {
            server.enqueue(startTlsSession());
            SmtpLikeClient client = new SmtpLikeClient(server.host(), server.port(), 5_000);

            SmtpLikeClient.Session session = client.helloWithStartTls("client.test",
                    server.tlsClient().socketFactory());

            assertThat(session).isEqualTo(new SmtpLikeClient.Session("220 mail.test ESMTP", "250 mail.test",
                    "221 Bye"));
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection).receivedLinesExactly("STARTTLS", "HELO client.test", "QUIT");
            assertThat(server.awaitQuiet()).isTrue();
            server.verify();
            assertThat(server.transcript()).contains("TLSv1.");
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServerFailsTheUpgrade() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().startTls().start()) {
            server.enqueue(startTlsSession());
            SmtpLikeClient client = new SmtpLikeClient(server.host(), server.port(), 5_000);

            assertThatThrownBy(() -> client.helloWithStartTls("client.test",
                    CertificateAuthority.create("Stranger CA").clientTrust().socketFactory()))
                    .isInstanceOf(SSLHandshakeException.class);

            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection).receivedLinesExactly("STARTTLS");
            assertThat(server.awaitQuiet()).isTrue();
            assertThat(server.failures()).isNotEmpty();
        }
    }
}
