package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-side TLS handshake faults ({@link Script#tlsStall()}, {@link Script#plaintextReply(String)},
 * {@link Script#resetDuringHandshake()}) and the exact exception each JDK client sees, over many rounds, with
 * timed and untimed connects.
 */
@Timeout(180)
class TlsHandshakeFaultTest {

    private static final int ROUNDS = 20;
    private static final int TIMEOUT_MILLIS = TlsTest.TIMEOUT_MILLIS;
    /** The client's own read timeout for the stall: short, since every round waits for it to fire. */
    private static final int STALL_READ_TIMEOUT_MILLIS = 150;
    private static final Duration WAIT = TlsTest.WAIT;
    private static final String BAD_REQUEST = "HTTP/1.1 400 Bad Request\r\n\r\n";

    @TempDir
    static Path keyDirectory;

    static TlsKeys server;

    @BeforeAll
    static void makeKeys() throws Exception {
        server = TlsKeys.generate(keyDirectory, "localhost");
    }

    private static FakeTcpServer tlsServer() throws Exception {
        return FakeTcpServer.builder().tls(server.keyContext(null)).start();
    }

    /** Runs an SSLSocket handshake against the fake; returns what {@code startHandshake()} threw. */
    private static Throwable sslSocketHandshake(FakeTcpServer fake, boolean timedConnect, int readTimeoutMillis)
            throws Exception {
        SSLSocketFactory factory = server.trustContext().getSocketFactory();
        SSLSocket socket;
        if (timedConnect) {
            Socket plain = new Socket();
            plain.connect(fake.address(), TIMEOUT_MILLIS); // throws if the connect fails: it must not
            socket = (SSLSocket) factory.createSocket(plain, "localhost", fake.port(), true);
        } else {
            socket = (SSLSocket) factory.createSocket(fake.address().getAddress(), fake.port()); // untimed connect
        }
        try (socket) {
            assertThat(socket.isConnected()).isTrue();
            socket.setSoTimeout(readTimeoutMillis);
            return catchThrowable(socket::startHandshake);
        }
    }

    /** Runs an HTTPS GET with HttpsURLConnection against the fake; returns what {@code getInputStream()} threw. */
    private static Throwable httpsGet(FakeTcpServer fake, boolean timedConnect, int readTimeoutMillis)
            throws Exception {
        HttpsURLConnection connection = (HttpsURLConnection) URI.create(
                "https://localhost:" + fake.port() + "/").toURL().openConnection();
        connection.setSSLSocketFactory(server.trustContext().getSocketFactory());
        if (timedConnect) {
            connection.setConnectTimeout(TIMEOUT_MILLIS);
        }
        connection.setReadTimeout(readTimeoutMillis);
        try {
            return catchThrowable(() -> {
                try (InputStream in = connection.getInputStream()) {
                    in.readAllBytes();
                }
            });
        } finally {
            connection.disconnect();
        }
    }

    private static String notes(RecordedConnection connection) {
        return connection.events().stream().filter(e -> e.kind() == TranscriptEvent.Kind.NOTE)
                .map(TranscriptEvent::detail).collect(Collectors.joining(" | "));
    }

    /** The recording holds the ClientHello as received bytes: a TLS handshake record, of the length noted. */
    private static void assertClientHelloRecorded(RecordedConnection recorded, boolean exactly) {
        byte[] received = recorded.received();
        assertThat(received.length).isGreaterThan(5);
        assertThat(received[0]).isEqualTo((byte) 22); // handshake record
        assertThat(received[5]).isEqualTo((byte) 1); // client_hello
        int length = 5 + ((received[3] & 0xff) << 8 | received[4] & 0xff);
        assertThat(notes(recorded)).contains("ClientHello received, " + length + " bytes");
        if (exactly) {
            assertThat(received.length).isEqualTo(length);
        } else {
            assertThat(received.length).isGreaterThanOrEqualTo(length);
        }
    }

    private static void assertClientClosedFirst(RecordedConnection recorded) throws InterruptedException {
        assertThat(recorded.awaitQuiet()).isTrue();
        assertThat(recorded.isOpen()).isFalse();
        assertThat(recorded.closedFirstBy()).contains(Side.CLIENT);
    }

    // ---- tlsStall() ----

    private void stallRounds(boolean httpsUrlConnection, boolean timedConnect) throws Exception {
        try (FakeTcpServer fake = tlsServer()) {
            for (int round = 0; round < ROUNDS; round++) {
                fake.enqueue(Script.create().tlsStall());
                Throwable thrown = httpsUrlConnection
                        ? httpsGet(fake, timedConnect, STALL_READ_TIMEOUT_MILLIS)
                        : sslSocketHandshake(fake, timedConnect, STALL_READ_TIMEOUT_MILLIS);
                assertThat(thrown).as("round %d", round).isExactlyInstanceOf(SocketTimeoutException.class)
                        .hasMessage("Read timed out");
                RecordedConnection recorded = fake.takeConnection(WAIT);
                assertClientClosedFirst(recorded);
                assertClientHelloRecorded(recorded, false);
                assertThat(recorded.sent()).isEmpty();
                assertThat(notes(recorded)).contains("stalling the TLS handshake");
            }
            fake.verify();
            assertThat(fake.connectionCount()).isEqualTo(ROUNDS);
        }
    }

    @Test
    void tlsStallTimesOutSslSocketHandshakeWithTimedConnect() throws Exception {
        stallRounds(false, true);
    }

    @Test
    void tlsStallTimesOutSslSocketHandshakeWithUntimedConnect() throws Exception {
        stallRounds(false, false);
    }

    @Test
    void tlsStallTimesOutHttpsUrlConnectionWithTimedConnect() throws Exception {
        stallRounds(true, true);
    }

    @Test
    void tlsStallTimesOutHttpsUrlConnectionWithUntimedConnect() throws Exception {
        stallRounds(true, false);
    }

    @Test
    void tlsStallEndsWhenTheServerCloses() throws Exception {
        FakeTcpServer fake = tlsServer();
        fake.enqueue(Script.create().tlsStall()); // before connecting: a connection takes its script when accepted
        try (fake; SSLSocket socket = TlsTest.connect(server.trustContext(), fake)) {
            socket.setSoTimeout(STALL_READ_TIMEOUT_MILLIS);
            assertThatThrownBy(socket::startHandshake).isExactlyInstanceOf(SocketTimeoutException.class);
            RecordedConnection recorded = fake.takeConnection(WAIT);
            fake.verify(); // quiet: the stall waits for input with none pending
            assertThat(recorded.isOpen()).isTrue();
            fake.close();
            assertThat(recorded.awaitQuiet()).isTrue();
            assertThat(recorded.isOpen()).isFalse();
            assertThat(recorded.closedFirstBy()).contains(Side.SERVER);
        }
    }

    // ---- plaintextReply(...) ----

    private void plaintextRounds(boolean httpsUrlConnection, boolean timedConnect) throws Exception {
        try (FakeTcpServer fake = tlsServer()) {
            for (int round = 0; round < ROUNDS; round++) {
                fake.enqueue(Script.create().plaintextReply(BAD_REQUEST));
                Throwable thrown = httpsUrlConnection
                        ? httpsGet(fake, timedConnect, TIMEOUT_MILLIS)
                        : sslSocketHandshake(fake, timedConnect, TIMEOUT_MILLIS);
                assertThat(thrown).as("round %d", round).isExactlyInstanceOf(SSLException.class)
                        .hasMessage("Unsupported or unrecognized SSL message");
                RecordedConnection recorded = fake.takeConnection(WAIT);
                assertThat(recorded.awaitQuiet()).isTrue();
                assertThat(recorded.isOpen()).isFalse();
                assertThat(recorded.closedFirstBy()).contains(Side.SERVER);
                // the JDK client answers the reply with an alert; whether it arrived before the server's close
                // (which records what already arrived) is a race, so it may be recorded after the ClientHello
                assertClientHelloRecorded(recorded, false);
                byte[] received = recorded.received();
                int helloLength = 5 + ((received[3] & 0xff) << 8 | received[4] & 0xff);
                if (received.length > helloLength) {
                    assertThat(received[helloLength]).as("an alert record").isEqualTo((byte) 21);
                }
                assertThat(recorded.sentText()).isEqualTo(BAD_REQUEST);
            }
            fake.verify();
            assertThat(fake.connectionCount()).isEqualTo(ROUNDS);
        }
    }

    @Test
    void plaintextReplyFailsSslSocketHandshakeWithTimedConnect() throws Exception {
        plaintextRounds(false, true);
    }

    @Test
    void plaintextReplyFailsSslSocketHandshakeWithUntimedConnect() throws Exception {
        plaintextRounds(false, false);
    }

    @Test
    void plaintextReplyFailsHttpsUrlConnectionWithTimedConnect() throws Exception {
        plaintextRounds(true, true);
    }

    @Test
    void plaintextReplyFailsHttpsUrlConnectionWithUntimedConnect() throws Exception {
        plaintextRounds(true, false);
    }

    // ---- resetDuringHandshake() ----

    private void resetRounds(boolean httpsUrlConnection, boolean timedConnect) throws Exception {
        try (FakeTcpServer fake = tlsServer()) {
            for (int round = 0; round < ROUNDS; round++) {
                fake.enqueue(Script.create().resetDuringHandshake());
                Throwable thrown = httpsUrlConnection
                        ? httpsGet(fake, timedConnect, TIMEOUT_MILLIS)
                        : sslSocketHandshake(fake, timedConnect, TIMEOUT_MILLIS);
                assertThat(thrown).as("round %d", round).isExactlyInstanceOf(SocketException.class)
                        .hasMessage("Connection reset");
                RecordedConnection recorded = fake.takeConnection(WAIT);
                assertThat(recorded.awaitQuiet()).isTrue();
                assertThat(recorded.isOpen()).isFalse();
                assertThat(recorded.closedFirstBy()).contains(Side.SERVER);
                assertClientHelloRecorded(recorded, true);
                assertThat(recorded.sent()).isEmpty();
                assertThat(recorded.transcript()).contains("server reset the connection (RST) after the ClientHello");
            }
            fake.verify();
            assertThat(fake.connectionCount()).isEqualTo(ROUNDS);
        }
    }

    @Test
    void resetDuringHandshakeFailsSslSocketHandshakeWithTimedConnect() throws Exception {
        resetRounds(false, true);
    }

    @Test
    void resetDuringHandshakeFailsSslSocketHandshakeWithUntimedConnect() throws Exception {
        resetRounds(false, false);
    }

    @Test
    void resetDuringHandshakeFailsHttpsUrlConnectionWithTimedConnect() throws Exception {
        resetRounds(true, true);
    }

    @Test
    void resetDuringHandshakeFailsHttpsUrlConnectionWithUntimedConnect() throws Exception {
        resetRounds(true, false);
    }

    // ---- at a STARTTLS point, and where the steps may go ----

    private static Throwable upgradeAfterStartTls(FakeTcpServer fake, int readTimeoutMillis)
            throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(fake.address(), TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            BufferedReader in = TlsTest.reader(plain);
            OutputStream out = plain.getOutputStream();
            out.write("STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(in.readLine()).isEqualTo("220 Ready to start TLS");
            try (SSLSocket tls = (SSLSocket) server.trustContext().getSocketFactory().createSocket(plain,
                    "localhost", fake.port(), true)) {
                tls.setSoTimeout(readTimeoutMillis);
                return catchThrowable(tls::startHandshake);
            }
        }
    }

    @Test
    void faultsAtAStartTlsPoint() throws Exception {
        try (FakeTcpServer fake = FakeTcpServer.builder().startTls(server.keyContext(null)).start()) {
            Script upgrade = Script.create().expectLine("STARTTLS").sendLine("220 Ready to start TLS");
            for (int round = 0; round < ROUNDS; round++) {
                fake.enqueue(upgrade.tlsStall());
                assertThat(upgradeAfterStartTls(fake, STALL_READ_TIMEOUT_MILLIS))
                        .isExactlyInstanceOf(SocketTimeoutException.class).hasMessage("Read timed out");
                fake.enqueue(upgrade.plaintextReply(BAD_REQUEST));
                assertThat(upgradeAfterStartTls(fake, TIMEOUT_MILLIS)).isExactlyInstanceOf(SSLException.class)
                        .hasMessage("Unsupported or unrecognized SSL message");
                fake.enqueue(upgrade.resetDuringHandshake());
                assertThat(upgradeAfterStartTls(fake, TIMEOUT_MILLIS)).isExactlyInstanceOf(SocketException.class)
                        .hasMessage("Connection reset");
            }
            fake.verify();
            assertThat(fake.connectionCount()).isEqualTo(3 * ROUNDS);
            for (RecordedConnection recorded : fake.connections()) {
                assertThat(recorded.receivedText()).startsWith("STARTTLS\r\n");
                assertThat(notes(recorded)).containsPattern("ClientHello received, \\d+ bytes");
            }
        }
    }

    @Test
    void faultsNeedTlsSettingsAndComeFirstOnATlsServer() throws Exception {
        try (FakeTcpServer plain = FakeTcpServer.start()) {
            assertThatThrownBy(() -> plain.enqueue(Script.create().tlsStall()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no TLS settings");
        }
        try (FakeTcpServer tls = tlsServer()) {
            assertThatThrownBy(() -> tls.enqueue(Script.create().sendLine("hello").resetDuringHandshake()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("must be the first step");
            assertThat(tls.queuedScripts()).isZero();
        }
        assertThatThrownBy(() -> Script.create().tlsStall().sendLine("too late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ends the conversation");
    }

    @Test
    void aClientThatIsNotTlsIsAFailureOfTheFault() throws Exception {
        try (FakeTcpServer fake = tlsServer()) {
            fake.enqueue(Script.create().plaintextReply(BAD_REQUEST));
            try (Socket socket = new Socket()) {
                socket.connect(fake.address(), TIMEOUT_MILLIS);
                socket.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(TIMEOUT_MILLIS);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(fake.failures()).singleElement().satisfies(failure -> assertThat(failure.describe())
                    .contains("expected a TLS ClientHello, but received \"GET /\""));
        }
    }
}
