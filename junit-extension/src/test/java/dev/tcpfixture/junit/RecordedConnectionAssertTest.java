package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.TcpAssertions.assertClientClosed;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@WithTcpServer
class RecordedConnectionAssertTest {

    private static final String NL = System.lineSeparator();

    /** The client sends {@code data} and closes; the server greets it first and then records until it closes. */
    static RecordedConnection conversation(FakeTcpServer server, String data) throws IOException {
        server.enqueue(Script.create().sendLine("220 hi"));
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(data.getBytes(StandardCharsets.UTF_8));
            // read the greeting, so that closing sends FIN: unread data would make the close a reset
            org.assertj.core.api.Assertions.assertThat(socket.getInputStream().readNBytes(8))
                    .isEqualTo("220 hi\r\n".getBytes(StandardCharsets.UTF_8));
        }
        RecordedConnection connection = server.takeConnection(Duration.ofSeconds(5));
        assertClientClosed(connection);
        return connection;
    }

    private static String name(RecordedConnection connection) {
        return "connection #" + connection.id() + " from 127.0.0.1:" + connection.remoteAddress().getPort();
    }

    @Test
    void receivedLine(@TcpServer FakeTcpServer server) throws IOException {
        RecordedConnection connection = conversation(server, "HELO x\r\nQUIT\nQUI");

        assertThat(connection).receivedLine("HELO x").receivedLine("QUIT");
        assertThatThrownBy(() -> assertThat(connection).receivedLine("EHLO y"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessage("Expected " + name(connection) + " to have received the line \"EHLO y\", but it "
                        + "received 2 lines:" + NL
                        + "  \"HELO x\"" + NL
                        + "  \"QUIT\"" + NL
                        + "Transcript:" + NL
                        + connection.transcript().stripTrailing());
        assertThatThrownBy(() -> assertThat(connection).receivedLine("QUI"))
                .as("a trailing line without line ending is not a line")
                .hasMessageContaining("to have received the line \"QUI\", but it received 2 lines:");
    }

    @Test
    void receivedLinesInOrder(@TcpServer FakeTcpServer server) throws IOException {
        RecordedConnection connection = conversation(server, "HELO x\r\nMAIL FROM:<a@test>\r\nDATA\r\nQUIT\r\n");

        assertThat(connection).receivedLinesInOrder("HELO x", "DATA", "QUIT").receivedLinesInOrder();
        assertThatThrownBy(() -> assertThat(connection).receivedLinesInOrder("DATA", "HELO x"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("to have received these lines in this order:" + NL + "  \"DATA\"" + NL
                        + "  \"HELO x\"" + NL + "but the line \"HELO x\" (and any after it) is missing; it received "
                        + "4 lines:" + NL + "  \"HELO x\"")
                .hasMessageContaining("Transcript:");
    }

    @Test
    void receivedLinesExactly(@TcpServer FakeTcpServer server) throws IOException {
        RecordedConnection connection = conversation(server, "HELO x\r\nQUIT\r\n");

        assertThat(connection).receivedLinesExactly("HELO x", "QUIT");
        assertThatThrownBy(() -> assertThat(connection).receivedLinesExactly("HELO x"))
                .isInstanceOfSatisfying(AssertionFailedError.class, error -> {
                    org.assertj.core.api.Assertions.assertThat(error.getExpected().getValue())
                            .isEqualTo(List.of("HELO x"));
                    org.assertj.core.api.Assertions.assertThat(error.getActual().getValue())
                            .isEqualTo(List.of("HELO x", "QUIT"));
                })
                .hasMessageContaining("to have received exactly these lines:" + NL + "  \"HELO x\"" + NL
                        + "but it received 2 lines:" + NL + "  \"HELO x\"" + NL + "  \"QUIT\"");
    }

    @Test
    void receivedTextAndBytes(@TcpServer FakeTcpServer server) throws IOException {
        RecordedConnection connection = conversation(server, "GET / HTTP/1.1\r\n\r\n");

        assertThat(connection)
                .receivedText("GET / HTTP/1.1\r\n\r\n")
                .receivedTextContaining("HTTP/1.1")
                .receivedBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> assertThat(connection).receivedText("GET / HTTP/1.0\r\n\r\n"))
                .hasMessageStartingWith("Expected " + name(connection) + " to have received exactly the text "
                        + "\"GET / HTTP/1.0\\r\\n\\r\\n\", but it received 18 bytes \"GET / HTTP/1.1\\r\\n\\r\\n\"" + NL
                        + "Transcript:");
        assertThatThrownBy(() -> assertThat(connection).receivedTextContaining("Host:"))
                .hasMessageContaining("to have received text containing \"Host:\", but it received 18 bytes");
        assertThatThrownBy(() -> assertThat(connection).receivedBytes(new byte[] {0x01, (byte) 0xff}))
                .hasMessageContaining("to have received exactly 2 bytes \"\\x01\\xFF\", but it received 18 bytes "
                        + "\"GET / HTTP/1.1\\r\\n\\r\\n\"");
        assertThatThrownBy(() -> assertThat(connection).receivedNothing())
                .isInstanceOfSatisfying(AssertionFailedError.class, error -> org.assertj.core.api.Assertions
                        .assertThat(error.getExpected().getValue()).isEqualTo("\"\""))
                .hasMessageContaining("to have received nothing, but it received 18 bytes "
                        + "\"GET / HTTP/1.1\\r\\n\\r\\n\"" + NL + "Transcript:");
    }

    @Test
    void receivedTruncated() throws IOException {
        try (FakeTcpServer server = FakeTcpServer.builder().recordingLimit(4).start()) {
            RecordedConnection truncated = conversation(server, "0123456789");
            RecordedConnection complete = conversation(server, "0123");

            assertThat(truncated).receivedTruncated().receivedText("0123");
            assertThatThrownBy(() -> assertThat(complete).receivedTruncated())
                    .hasMessageContaining("to have received more than the recording limit, but it received 4 bytes, "
                            + "all of them recorded");
        }
    }

    @Test
    void sentTextAndBytes(@TcpServer FakeTcpServer server) throws IOException {
        RecordedConnection connection = conversation(server, "");

        assertThat(connection).sentText("220 hi\r\n").sentBytes("220 hi\r\n".getBytes(StandardCharsets.UTF_8))
                .receivedNothing();
        assertThatThrownBy(() -> assertThat(connection).sentText("220 hello\r\n"))
                .hasMessageContaining("to have sent exactly the text \"220 hello\\r\\n\", but the server sent 8 bytes "
                        + "\"220 hi\\r\\n\"");
        assertThatThrownBy(() -> assertThat(connection).sentBytes(new byte[0]))
                .hasMessageContaining("to have sent exactly 0 bytes \"\", but the server sent 8 bytes "
                        + "\"220 hi\\r\\n\"");
    }

    @Test
    void whoClosedAndWhetherTheClientIsConnected(@TcpServer FakeTcpServer server) throws Exception {
        RecordedConnection closedByClient = conversation(server, "bye\n");
        assertThat(closedByClient).wasClosedByClient().isClientDisconnected();
        assertThatThrownBy(() -> assertThat(closedByClient).wasClosedByServer())
                .hasMessageContaining("to have been closed first by the server, but the client closed it first");
        assertThatThrownBy(() -> assertThat(closedByClient).isClientConnected())
                .isInstanceOfSatisfying(AssertionFailedError.class, error -> {
                    org.assertj.core.api.Assertions.assertThat(error.getExpected().getValue()).isEqualTo("connected");
                    org.assertj.core.api.Assertions.assertThat(error.getActual().getValue()).isEqualTo("closed");
                })
                .hasMessageStartingWith("Expected " + name(closedByClient) + " to be connected, but it was closed "
                        + "by the client" + NL + "Transcript:" + NL)
                .hasMessageContaining("client closed its side");

        server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
        List<String> reply = TestKit.converse(server.address(), "PING");
        org.assertj.core.api.Assertions.assertThat(reply).containsExactly("PONG");
        RecordedConnection closedByServer = server.takeConnection(Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThat(closedByServer.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(closedByServer).wasClosedByServer().isClientDisconnected();
        assertThatThrownBy(() -> assertThat(closedByServer).wasClosedByClient())
                .hasMessageContaining("to have been closed first by the client, but the server closed it first");
    }

    @Test
    void readsLiveState(@TcpServer FakeTcpServer server) throws Exception {
        RecordedConnection connection;
        RecordedConnectionAssert assertion;
        try (Socket socket = new Socket(server.host(), server.port())) {
            connection = server.takeConnection(Duration.ofSeconds(5));
            assertion = assertThat(connection);
            assertion.receivedNothing().isClientConnected();
            assertThatThrownBy(() -> assertion.isClientDisconnected())
                    .isInstanceOfSatisfying(AssertionFailedError.class, error -> org.assertj.core.api.Assertions
                            .assertThat(error.getExpected().getValue()).isEqualTo("closed"))
                    .hasMessageContaining("to be closed, but the client is still connected" + NL + "Transcript:");
            assertThatThrownBy(() -> assertion.wasClosedByClient())
                    .hasMessageContaining("but it is still open on both sides");

            OutputStream out = socket.getOutputStream();
            out.write("HELO x\r\n".getBytes(StandardCharsets.UTF_8));

            RecordedConnection live = connection;
            org.assertj.core.api.Assertions.assertThat(live.awaitUntil(() -> !live.receivedLines().isEmpty(),
                    Duration.ofSeconds(5))).isTrue();
            assertion.receivedLine("HELO x").isClientConnected();
        }
        org.assertj.core.api.Assertions.assertThat(connection.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertion.wasClosedByClient().isClientDisconnected();
    }

    @Test
    void failures(@TcpServer(verify = false) FakeTcpServer server) throws IOException {
        RecordedConnection good = conversation(server, "");
        server.enqueue(Script.create().expectLine("HELO x"));
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.getOutputStream().write("EHLO y\r\n".getBytes(StandardCharsets.UTF_8));
            org.assertj.core.api.Assertions.assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        RecordedConnection broken = server.takeConnection(Duration.ofSeconds(5));

        assertThat(broken).hasFailureContaining("but received line \"EHLO y\"");
        assertThatThrownBy(() -> assertThat(broken).hasNoFailures())
                .hasMessageContaining("to have no failures, but it has 1 failure:" + NL
                        + "1) connection #2: expected line \"HELO x\", but received line \"EHLO y\"");
        assertThatThrownBy(() -> assertThat(good).hasFailureContaining("EHLO"))
                .hasMessageContaining("to have a failure containing \"EHLO\", but it has no failures");
    }

    @Test
    void describedAndNullActual(@TcpServer FakeTcpServer server) throws IOException {
        RecordedConnection connection = conversation(server, "");

        assertThatThrownBy(() -> assertThat(connection).as("greeting").receivedLine("HELO"))
                .hasMessageStartingWith("[greeting] Expected connection #1");
        assertThatThrownBy(() -> assertThat((RecordedConnection) null).receivedLine("HELO"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }
}
