package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecordingTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTcpServer server = FakeTcpServer.start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void recordsBothDirectionsLinesAndAddresses() throws Exception {
        server.enqueue(Script.create().sendLine("hello").expectLine("hi").close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("hello");
            client.send("hi\r\npartial");
            assertThat(client.read()).isEqualTo(-1);
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.id()).isEqualTo(1);
            assertThat(connection.remoteAddress().getPort()).isEqualTo(client.socket().getLocalPort());
            assertThat(connection.receivedLines()).containsExactly("hi");
            assertThat(connection.sentText()).isEqualTo("hello\r\n");
            assertThat(connection.acceptedAt()).isBeforeOrEqualTo(java.time.Instant.now());
        }
    }

    @Test
    void tracksWhetherTheClientIsConnected() throws Exception {
        RecordedConnection connection;
        try (TestClient client = TestClient.connect(server)) {
            connection = server.takeConnection(WAIT);
            assertThat(connection.isClientConnected()).isTrue();
            assertThat(connection.closedFirstBy()).isEmpty();
            assertThat(connection.awaitClosed(Duration.ofMillis(50))).isFalse();
        }
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.isClientConnected()).isFalse();
        assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
    }

    @Test
    void recordsAClientReset() throws Exception {
        TestClient client = TestClient.connect(server);
        RecordedConnection connection = server.takeConnection(WAIT);
        client.send("x");
        client.reset();

        assertThat(connection.awaitClosed(WAIT)).isTrue();
        assertThat(connection.closedFirstBy()).contains(Side.CLIENT);
        assertThat(connection.events()).extracting(TranscriptEvent::kind).contains(TranscriptEvent.Kind.CLIENT_RESET);
    }

    @Test
    void takeConnectionFailsClearlyOnTimeout() {
        assertThatThrownBy(() -> server.takeConnection(Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("Expected a connection to fake TCP server 127.0.0.1:" + server.port() + " within 50 ms, "
                        + "but none came (mode ACCEPT, 0 connections so far, all taken)");
    }

    @Test
    void connectionsAreCountedAndListedInOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (TestClient client = TestClient.connect(server)) {
                client.send("n" + i + "\n");
            }
        }
        for (int i = 0; i < 3; i++) {
            server.takeConnection(WAIT);
        }
        assertThat(server.connectionCount()).isEqualTo(3);
        assertThat(server.connections()).extracting(RecordedConnection::id).containsExactly(1, 2, 3);
    }

    @Test
    void floodIsCountedButRecordedOnlyUpToTheLimit() throws Exception {
        int limit = 64 * 1024;
        long total = 20L * 1024 * 1024;
        try (FakeTcpServer capped = FakeTcpServer.builder().recordingLimit(limit).start()) {
            try (Socket socket = new Socket(capped.host(), capped.port())) {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                Arrays.fill(chunk, (byte) 'x');
                for (long sent = 0; sent < total; sent += chunk.length) {
                    out.write(chunk);
                }
            }
            RecordedConnection connection = capped.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.receivedByteCount()).isEqualTo(total);
            assertThat(connection.received()).hasSize(limit);
            assertThat(connection.receivedTruncated()).isTrue();
            assertThat(connection.events().size()).isLessThanOrEqualTo(10_001 + 2);
            assertThat(connection.transcript()).contains("recording limit of " + limit);
            capped.verify();
        }
    }

    @Test
    void transcriptShowsTextAndEscapesBinary() throws Exception {
        server.enqueue(Script.create().sendLine("hi").expect(new byte[] {0, 1, (byte) 0xfe}).close());

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("hi");
            client.send(new byte[] {0, 1, (byte) 0xfe});
            assertThat(client.read()).isEqualTo(-1);
        }
        String transcript = server.takeConnection(WAIT).transcript();
        assertThat(transcript)
                .contains("server> \"hi\\r\\n\"")
                .contains("client> \"\\x00\\x01\\xFE\"")
                .contains("server closed the connection");
        assertThat(server.transcript()).contains(transcript);
    }

    @Test
    void manyTinyWritesKeepTheEventListBounded() throws Exception {
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            RecordedConnection connection = server.takeConnection(WAIT);
            for (int i = 0; i < 30_000; i++) {
                out.write('a');
                out.flush();
            }
            socket.shutdownOutput();
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.receivedByteCount()).isEqualTo(30_000);
            assertThat(connection.received()).hasSize(30_000);
            assertThat(connection.events().size()).isLessThanOrEqualTo(10_003);
        } catch (IOException e) {
            throw e;
        }
    }
}
