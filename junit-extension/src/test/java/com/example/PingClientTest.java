package com.example;

import static dev.tcpfixture.junit.TcpAssertions.assertClientClosed;
import static dev.tcpfixture.junit.TcpAssertions.assertConnects;
import static dev.tcpfixture.junit.TcpAssertions.assertRefused;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@WithTcpServer
class PingClientTest {

    /** The client code under test: sends PING and returns the server's one-line answer. */
    static String ping(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1_000);
            socket.setSoTimeout(1_000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }

    @Test
    void sendsPingAndReadsPong(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());

        RecordedConnection connection = assertConnects(server,
                () -> assertThat(ping(server.host(), server.port())).isEqualTo("PONG"));

        assertThat(connection).receivedLinesExactly("PING").sentText("PONG\r\n");
        // after the test the extension closes the server and fails the test if the script was not followed
    }

    @Test
    void closesItsSocket(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create().expectLine("PING").sendLine("PONG")); // the server leaves it open

        RecordedConnection connection = assertConnects(server, () -> ping(server.host(), server.port()));

        assertClientClosed(connection);
    }

    @Test
    void failsWhenTheServerRefuses(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
        assertRefused(server, () -> ping(server.host(), server.port()));
    }
}
