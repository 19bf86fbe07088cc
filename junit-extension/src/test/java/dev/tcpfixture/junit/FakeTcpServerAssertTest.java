package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@WithTcpServer
class FakeTcpServerAssertTest {

    private static final String NL = System.lineSeparator();

    @Test
    void connectionCount(@TcpServer FakeTcpServer server) throws IOException {
        assertThat(server).hasNoConnections().hasConnectionCount(0);
        assertThatThrownBy(() -> assertThat(server).hasConnectionCount(1))
                .isInstanceOfSatisfying(AssertionFailedError.class, error ->
                        org.assertj.core.api.Assertions.assertThat(error.getExpected().getValue()).isEqualTo(1))
                .hasMessage("Expected fake TCP server " + server.authority() + " (mode ACCEPT) to have accepted 1 "
                        + "connection, but it accepted 0" + NL + "Transcript:" + NL + "  (no connections to "
                        + server.authority() + ")");

        TestKit.converse(server.address(), "HELLO");

        assertThat(server).hasConnectionCount(1);
        assertThatThrownBy(() -> assertThat(server).hasNoConnections())
                .hasMessageContaining("to have accepted no connection, but it accepted 1 connection" + NL
                        + "Transcript:" + NL
                        + "  connection #1 ")
                .hasMessageContaining("client> \"HELLO\\r\\n\"");
    }

    @Test
    void readsLiveState(@TcpServer FakeTcpServer server) throws Exception {
        FakeTcpServerAssert assertion = assertThat(server);
        assertion.hasNoConnections();

        try (Socket socket = new Socket(server.host(), server.port())) {
            org.assertj.core.api.Assertions.assertThat(server.awaitUntil(() -> server.connectionCount() > 0,
                    Duration.ofSeconds(5))).isTrue();
            assertion.hasConnectionCount(1);
            org.assertj.core.api.Assertions.assertThat(server.connections().get(0).remoteAddress().getPort())
                    .isEqualTo(socket.getLocalPort());
        }
    }

    @Test
    void anAssertionSeesEverythingAClientDidBeforeIt(@TcpServer(verify = false) FakeTcpServer server)
            throws Exception {
        server.defaultScript(Script.create().expectLine("PING"));
        for (int round = 1; round <= 200; round++) {
            try (Socket socket = new Socket(server.host(), server.port())) {
                socket.getOutputStream().write(("PONG " + round + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            // no waiting first: the assertion waits until the server is quiet, and then the record is complete
            assertThat(server).hasConnectionCount(round).hasFailureContaining("received line \"PONG " + round + '"');
            TcpAssertions.assertThat(server.connections().get(round - 1)).receivedLine("PONG " + round)
                    .isClientDisconnected();
        }
    }

    @Test
    void mode(@TcpServer FakeTcpServer server) {
        assertThat(server).isInMode(ConnectionMode.ACCEPT);
        server.mode(ConnectionMode.REFUSE);

        assertThat(server).isInMode(ConnectionMode.REFUSE);
        assertThatThrownBy(() -> assertThat(server).isInMode(ConnectionMode.ACCEPT))
                .hasMessageStartingWith("Expected fake TCP server " + server.authority() + " (mode REFUSE) to be in "
                        + "mode ACCEPT, but it is in mode REFUSE" + NL + "Transcript:");
    }

    @Test
    void queuedScripts(@TcpServer FakeTcpServer server) throws IOException {
        server.enqueue(Script.create().expectLine("ONE").close());
        server.enqueue(Script.create().expectLine("TWO").close());
        TestKit.converse(server.address(), "ONE");

        assertThatThrownBy(() -> assertThat(server).hasNoQueuedScripts())
                .hasMessageContaining("to have no queued scripts left, but 1 script was never taken by a "
                        + "connection");

        TestKit.converse(server.address(), "TWO");

        assertThat(server).hasNoQueuedScripts();
    }

    @Test
    void failures(@TcpServer(verify = false) FakeTcpServer server) throws IOException {
        assertThat(server).hasNoFailures();
        assertThatThrownBy(() -> assertThat(server).hasFailureContaining("HELO"))
                .hasMessageContaining("to have a failure containing \"HELO\", but it recorded no failures");

        server.enqueue(Script.create().sendLine("220 mail.test").expectLine("HELO x").sendLine("250 ok"));
        TestKit.converse(server.address(), "EHLO y");

        assertThat(server).hasFailureContaining("but received line \"EHLO y\"");
        assertThatThrownBy(() -> assertThat(server).hasNoFailures())
                .hasMessageStartingWith("Expected fake TCP server " + server.authority() + " (mode ACCEPT) to have "
                        + "no failures, but it recorded 1 failure:" + NL
                        + "1) connection #1: expected line \"HELO x\", but received line \"EHLO y\"" + NL
                        + "  connection #1 ")
                .hasMessageContaining("Transcript:" + NL + "  connection #1 ");
        assertThatThrownBy(() -> assertThat(server).hasFailureContaining("QUIT"))
                .hasMessageContaining("but its failures are:" + NL + "1) connection #1: expected line \"HELO x\"");
    }

    @Test
    void liveThreads() throws IOException {
        FakeTcpServer server = FakeTcpServer.start();
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.getOutputStream().write("open\n".getBytes(StandardCharsets.UTF_8));
            server.takeConnection(Duration.ofSeconds(5));

            assertThatThrownBy(() -> assertThat(server).hasNoLiveThreads())
                    .hasMessageContaining("to have no live threads, but 2 are alive; it is not closed");
        } finally {
            server.close();
        }
        assertThat(server).hasNoLiveThreads();
    }

    @Test
    void nullActual() {
        assertThatThrownBy(() -> assertThat((FakeTcpServer) null).hasNoFailures())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }
}
