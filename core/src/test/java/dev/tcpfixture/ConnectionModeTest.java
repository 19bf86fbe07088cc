package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionModeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int SHORT_CONNECT_TIMEOUT_MILLIS = 300;

    private final FakeTcpServer server = FakeTcpServer.start();

    @AfterEach
    void closeServer() {
        server.close();
        assertThat(server.liveThreadCount()).isZero();
    }

    private void connect(int timeoutMillis) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), timeoutMillis);
        }
    }

    @Test
    void refuseGivesConnectionRefusedOnTheSamePort() {
        int port = server.port();

        server.mode(ConnectionMode.REFUSE);

        assertThat(server.port()).isEqualTo(port);
        assertThat(server.mode()).isEqualTo(ConnectionMode.REFUSE);
        assertThatThrownBy(() -> connect(5_000))
                .isInstanceOf(ConnectException.class).hasMessageContaining("Connection refused");
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void connectTimeoutMakesConnectTimeOut() {
        server.mode(ConnectionMode.CONNECT_TIMEOUT);

        assertThatThrownBy(() -> connect(SHORT_CONNECT_TIMEOUT_MILLIS))
                .isInstanceOf(SocketTimeoutException.class);
        assertThatThrownBy(() -> connect(SHORT_CONNECT_TIMEOUT_MILLIS))
                .isInstanceOf(SocketTimeoutException.class);
        assertThat(server.connectionCount()).isZero();
    }

    @Test
    void acceptThenCloseGivesEndOfStream() throws Exception {
        server.mode(ConnectionMode.ACCEPT_THEN_CLOSE);

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.read()).isEqualTo(-1);
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.closedFirstBy()).contains(Side.SERVER);
        assertThat(connection.awaitUntil(() -> !connection.isOpen(), WAIT)).as("closed once the client closed").isTrue();
    }

    @Test
    void acceptThenResetResetsOnceTheClientSpeaks() throws Exception {
        server.mode(ConnectionMode.ACCEPT_THEN_RESET);

        // connect always succeeds: the reset follows the client's first bytes, so it cannot race the connect
        try (TestClient client = TestClient.connect(server)) {
            client.send("QUIT\r\n");
            assertThatThrownBy(client::read).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.receivedText()).isEqualTo("QUIT\r\n");
        assertThat(connection.events()).extracting(TranscriptEvent::kind)
                .containsExactly(TranscriptEvent.Kind.ACCEPTED, TranscriptEvent.Kind.RECEIVED,
                        TranscriptEvent.Kind.SERVER_RESET);
    }

    @Test
    void aClientThatConnectedBeforeASwitchGetsTheOldMode() throws Exception {
        for (ConnectionMode next : new ConnectionMode[] {ConnectionMode.ACCEPT_THEN_RESET,
                ConnectionMode.ACCEPT_THEN_CLOSE, ConnectionMode.REFUSE}) {
            for (int round = 0; round < 100; round++) {
                server.mode(ConnectionMode.ACCEPT);
                server.enqueue(Script.create().sendLine("old mode"));
                try (TestClient client = TestClient.connect(server)) {
                    server.mode(next);
                    assertThat(client.readLine()).as("switch to %s, round %d", next, round).isEqualTo("old mode");
                }
            }
        }
    }

    @Test
    void aClientResetWhileTheModeWaitsForItIsRecorded() throws Exception {
        server.mode(ConnectionMode.ACCEPT_THEN_RESET);
        TestClient.connect(server).reset();

        RecordedConnection connection = server.takeConnection(WAIT);
        assertThat(connection.awaitUntil(() -> !connection.isOpen(), WAIT)).isTrue();
        assertThat(connection.events()).extracting(TranscriptEvent::kind)
                .containsExactly(TranscriptEvent.Kind.ACCEPTED, TranscriptEvent.Kind.CLIENT_RESET,
                        TranscriptEvent.Kind.SERVER_RESET);
    }

    @Test
    void switchesBackAndForthWhileThePortStaysTheSame() throws Exception {
        server.defaultScript(Script.create().sendLine("hello").close());
        int port = server.port();

        for (ConnectionMode mode : new ConnectionMode[] {ConnectionMode.REFUSE, ConnectionMode.CONNECT_TIMEOUT,
                ConnectionMode.ACCEPT_THEN_RESET, ConnectionMode.REFUSE, ConnectionMode.ACCEPT_THEN_CLOSE,
                ConnectionMode.CONNECT_TIMEOUT}) {
            server.mode(mode);
            assertThat(server.port()).isEqualTo(port);
            server.mode(ConnectionMode.ACCEPT);
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readLine()).as("after %s", mode).isEqualTo("hello");
            }
        }
        assertThat(server.port()).isEqualTo(port);
    }

    @Test
    void aConnectWaitingDuringConnectTimeoutSucceedsOnceAcceptingAgain() throws Exception {
        server.defaultScript(Script.create().sendLine("finally").close());
        server.mode(ConnectionMode.CONNECT_TIMEOUT);
        java.util.concurrent.CompletableFuture<String> patient = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (TestClient client = TestClient.connect(server)) {
                return client.readLine();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        // the patient client's SYN is being dropped now; accepting again lets its retransmission through
        assertThatThrownBy(() -> connect(SHORT_CONNECT_TIMEOUT_MILLIS)).isInstanceOf(SocketTimeoutException.class);
        server.mode(ConnectionMode.ACCEPT);

        assertThat(patient.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("finally");
    }

    @Test
    void openConnectionsSurviveAModeSwitch() throws Exception {
        server.enqueue(Script.create().expectLine("still").sendLine("alive").close());

        try (TestClient client = TestClient.connect(server)) {
            server.takeConnection(WAIT);
            server.mode(ConnectionMode.REFUSE);
            client.send("still\n");
            assertThat(client.readLine()).isEqualTo("alive");
        }
        server.verify();
    }

    @Test
    void startsInTheModeAskedFor() {
        try (FakeTcpServer refusing = FakeTcpServer.builder().mode(ConnectionMode.REFUSE).start()) {
            assertThatThrownBy(() -> new Socket(refusing.host(), refusing.port()).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void modeCannotChangeAfterClose() {
        server.close();

        assertThatThrownBy(() -> server.mode(ConnectionMode.REFUSE)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void portIsRefusedAfterClose() {
        server.close();

        assertThatThrownBy(() -> connect(5_000)).isInstanceOf(ConnectException.class);
    }
}
