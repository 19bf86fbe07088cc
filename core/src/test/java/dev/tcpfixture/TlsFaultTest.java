package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * STARTTLS, closes from both sides, handshake failures, mutual TLS and exact verification over TLS, with the
 * key material of {@link TlsTest}.
 */
@Timeout(180)
class TlsFaultTest {

    private static final int TIMEOUT_MILLIS = TlsTest.TIMEOUT_MILLIS;
    private static final java.time.Duration WAIT = TlsTest.WAIT;

    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path keyDirectory;

    static TlsKeys server;
    static TlsKeys client;
    static TlsKeys stranger;

    @org.junit.jupiter.api.BeforeAll
    static void makeKeys() throws Exception {
        server = TlsKeys.generate(keyDirectory, "localhost");
        client = TlsKeys.generate(keyDirectory, "client");
        stranger = TlsKeys.generate(keyDirectory, "stranger");
    }

    private static SSLSocket connect(SSLContext context, FakeTcpServer fake) throws IOException {
        return TlsTest.connect(context, fake);
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return TlsTest.reader(socket);
    }

    private static String handshakeNote(RecordedConnection connection) {
        return TlsTest.handshakeNote(connection);
    }

    private static final int FIRE_AND_FORGET_ROUNDS = 300;

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String notes(RecordedConnection connection) {
        return connection.events().stream().filter(e -> e.kind() == TranscriptEvent.Kind.NOTE)
                .map(TranscriptEvent::detail).collect(Collectors.joining(" | "));
    }

    @Test
    void startTlsUpgradesAnSmtpLikeConversation() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().startTls(server.keyContext(null)).start()) {
            assertThat(fake.isTls()).isFalse();
            fake.enqueue(Script.create().sendLine("220 fake ESMTP").expectLine("EHLO me").sendLine("250 STARTTLS")
                    .expectLine("STARTTLS").sendLine("220 Ready to start TLS").startTls()
                    .expectLine("EHLO me").sendLine("250 OK").expectLine("QUIT").sendLine("221 Bye").close());
            try (Socket plain = new Socket()) {
                plain.connect(fake.address(), TIMEOUT_MILLIS);
                plain.setSoTimeout(TIMEOUT_MILLIS);
                BufferedReader in = reader(plain);
                assertThat(in.readLine()).isEqualTo("220 fake ESMTP");
                write(plain, "EHLO me\r\n");
                assertThat(in.readLine()).isEqualTo("250 STARTTLS");
                write(plain, "STARTTLS\r\n");
                assertThat(in.readLine()).isEqualTo("220 Ready to start TLS");
                try (SSLSocket tls = (SSLSocket) server.trustContext().getSocketFactory().createSocket(plain,
                        "localhost", fake.port(), true)) {
                    BufferedReader secure = reader(tls);
                    write(tls, "EHLO me\r\n");
                    assertThat(secure.readLine()).isEqualTo("250 OK");
                    write(tls, "QUIT\r\n");
                    assertThat(secure.readLine()).isEqualTo("221 Bye");
                    assertThat(secure.readLine()).isNull();
                }
            }
            fake.verify();
            RecordedConnection recorded = fake.takeConnection(WAIT);
            assertThat(recorded.receivedText()).isEqualTo("EHLO me\r\nSTARTTLS\r\nEHLO me\r\nQUIT\r\n");
            assertThat(recorded.sentText()).isEqualTo(
                    "220 fake ESMTP\r\n250 STARTTLS\r\n220 Ready to start TLS\r\n250 OK\r\n221 Bye\r\n");
            assertThat(notes(recorded)).contains("TLS handshake: TLSv1.3");
        }
    }

    @Test
    void startTlsNeedsStartTlsSettings() throws Exception {
        try (FakeTcpServer plain = FakeTcpServer.start()) {
            assertThatThrownBy(() -> plain.enqueue(Script.create().startTls()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no TLS settings");
        }
        try (FakeTcpServer tls = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            assertThatThrownBy(() -> tls.enqueue(Script.create().startTls()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("from the first byte");
        }
    }

    @Test
    void builderValidatesTheContextAndParametersAtOnce() throws Exception {
        SSLContext uninitialized = SSLContext.getInstance("TLS");
        assertThatThrownBy(() -> FakeTcpServer.builder().tls(uninitialized))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialized");
        SSLParameters bogus = new SSLParameters();
        bogus.setProtocols(new String[] {"TLSv0.9"});
        SSLContext context = server.keyContext(null);
        assertThatThrownBy(() -> FakeTcpServer.builder().tls(context, bogus))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLSv0.9");
    }

    @Test
    void clientThatDoesNotTrustTheServerGetsSslHandshakeExceptionAndTheTranscriptSaysWhy() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (SSLSocket socket = connect(stranger.trustContext(), fake)) {
                assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class)
                        .hasMessageContaining("PKIX path building failed");
            }
            RecordedConnection recorded = fake.takeConnection(WAIT);
            assertThat(fake.failures()).singleElement().satisfies(failure -> assertThat(failure.describe())
                    .contains("expected line \"PING\" later, but TLS failed first"));
            assertThat(notes(recorded)).contains("TLS handshake failed: Received fatal alert: certificate_unknown");
        }
    }

    @Test
    void clientCloseNotifyAndBareFinAreTheEndOfStream() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (SSLSocket socket = connect(server.trustContext(), fake)) {
                write(socket, "PING\r\n");
                assertThat(reader(socket).readLine()).isEqualTo("PONG");
            } // close_notify, then FIN
            Socket plain = new Socket();
            plain.connect(fake.address(), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            SSLSocket socket = (SSLSocket) server.trustContext().getSocketFactory().createSocket(plain, "localhost",
                    fake.port(), false);
            write(socket, "PING\r\n");
            assertThat(reader(socket).readLine()).isEqualTo("PONG");
            plain.close(); // FIN without close_notify
            fake.verify();
            RecordedConnection first = fake.takeConnection(WAIT);
            RecordedConnection second = fake.takeConnection(WAIT);
            assertThat(notes(first)).contains("TLS close_notify received");
            assertThat(first.events()).extracting(TranscriptEvent::kind).contains(TranscriptEvent.Kind.CLIENT_CLOSED);
            assertThat(notes(second)).contains("TLS ended without close_notify");
            assertThat(second.events()).extracting(TranscriptEvent::kind)
                    .contains(TranscriptEvent.Kind.CLIENT_CLOSED);
        }
    }

    @Test
    void clientThatClosesEarlyFailsALaterExpectation() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG").expectLine("QUIT"));
            try (SSLSocket socket = connect(server.trustContext(), fake)) {
                write(socket, "PING\r\n");
                assertThat(reader(socket).readLine()).isEqualTo("PONG");
            }
            assertThatThrownBy(fake::verify).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected line \"QUIT\", but the client closed the connection");
        }
    }

    @Test
    void mutualTlsRecordsTheClientCertificate() throws Exception {
        SSLParameters need = new SSLParameters();
        need.setNeedClientAuth(true);
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(client), need).start()) {
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (SSLSocket socket = connect(client.clientContext(server), fake)) {
                write(socket, "PING\r\n");
                assertThat(reader(socket).readLine()).isEqualTo("PONG");
            }
            fake.verify();
            assertThat(handshakeNote(fake.takeConnection(WAIT))).contains("client certificate CN=client");
        }
    }

    @Test
    void requiredClientCertificateMissingFailsTheClientsFirstRead() throws Exception {
        SSLParameters need = new SSLParameters();
        need.setNeedClientAuth(true);
        try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(client), need).start()) {
            fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            IOException seen = null;
            try (SSLSocket socket = connect(server.trustContext(), fake)) {
                write(socket, "PING\r\n"); // TLS 1.3: the client's handshake completes before the server judges
                reader(socket).readLine();
            } catch (IOException e) {
                seen = e;
            }
            System.out.println("mutual TLS, client certificate missing, the client sees: " + seen);
            assertThat(seen).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("bad_certificate");
            RecordedConnection recorded = fake.takeConnection(WAIT);
            assertThat(fake.failures()).singleElement().satisfies(failure -> assertThat(failure.describe())
                    .contains("TLS failed"));
            assertThat(notes(recorded)).contains("TLS handshake failed: Empty client certificate chain");
        }
    }

    @Test
    void fireAndForgetWrongLineOverTlsIsNeverLost() throws Exception {
        Map<String, Integer> outcomes = new TreeMap<>();
        String example = null;
        try (BusyLoad load = BusyLoad.start(1)) {
            for (int round = 1; round <= FIRE_AND_FORGET_ROUNDS; round++) {
                try (FakeTcpServer fake = FakeTcpServer.builder().tls(server.keyContext(null)).start()) {
                    fake.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
                    try (SSLSocket socket = connect(server.trustContext(), fake)) {
                        write(socket, "PONG?\r\n");
                    }
                    String outcome;
                    try {
                        fake.verify();
                        outcome = "lost";
                    } catch (AssertionError e) {
                        outcome = e.getMessage().contains("PONG?") ? "caught" : "other";
                        if (!outcome.equals("caught") && example == null) {
                            example = e.getMessage();
                        }
                    }
                    outcomes.merge(outcome, 1, Integer::sum);
                }
            }
        }
        System.out.println("fire and forget over TLS: " + outcomes);
        assertThat(outcomes).as("outcomes; an example of another: %s", example)
                .isEqualTo(Map.of("caught", FIRE_AND_FORGET_ROUNDS));
    }
}
