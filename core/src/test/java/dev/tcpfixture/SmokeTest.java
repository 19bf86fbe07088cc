package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeTest {

    @Test
    void scriptedConversation() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().sendLine("220 hi").expectLine("HELO x").sendLine("250 ok").close());
            try (Socket socket = new Socket(server.host(), server.port())) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = socket.getOutputStream();
                assertThat(in.readLine()).isEqualTo("220 hi");
                out.write("HELO x\r\n".getBytes(StandardCharsets.UTF_8));
                assertThat(in.readLine()).isEqualTo("250 ok");
                assertThat(in.readLine()).isNull();
            }
            RecordedConnection connection = server.takeConnection(Duration.ofSeconds(2));
            assertThat(connection.awaitClosed(Duration.ofSeconds(2))).isTrue();
            assertThat(connection.receivedLines()).containsExactly("HELO x");
            assertThat(connection.closedFirstBy()).contains(Side.SERVER);
            System.out.println(connection.transcript());
            server.verify();
        }
    }

    @Test
    void failure() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.enqueue(Script.create().sendLine("220 hi").expectLine("HELO x").sendLine("250 ok").close());
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.getOutputStream().write("EHLO y\r\n".getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(2000);
            while (socket.getInputStream().read() >= 0) { }
        }
        server.close();
        assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class).satisfies(e -> System.out.println(e.getMessage()))
            .hasMessageContaining("expected line \"HELO x\", but received line \"EHLO y\"");
        assertThat(server.liveThreadCount()).isZero();
    }

    @Test
    void modes() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.mode(ConnectionMode.REFUSE);
            assertThatThrownBy(() -> new Socket(server.host(), server.port()).close()).isInstanceOf(ConnectException.class);
            server.mode(ConnectionMode.CONNECT_TIMEOUT);
            assertThatThrownBy(() -> { try (Socket s = new Socket()) { s.connect(server.address(), 300); } }).isInstanceOf(SocketTimeoutException.class);
            server.mode(ConnectionMode.ACCEPT);
            try (Socket s = new Socket()) { s.connect(server.address(), 1000); }
            assertThat(server.takeConnection(Duration.ofSeconds(2)).id()).isEqualTo(1);
        }
    }
}
