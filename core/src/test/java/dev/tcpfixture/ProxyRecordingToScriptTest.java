package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A proxy recording becomes a script that replays as the upstream behaved: when the client closed first and the
 * upstream closed only then, the script has no closing step, so the replayed server too waits for the client.
 */
class ProxyRecordingToScriptTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @RepeatedTest(20)
    void aClientThatClosesFirstGivesAScriptWithoutAClose() throws Exception {
        Script recorded;
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(proxy.host(), proxy.port()), 5_000);
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine()).isEqualTo("PONG");
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(proxy.awaitQuiet()).isTrue();
            assertThat(connection.awaitUntil(() -> !connection.isOpen(), WAIT)).isTrue();
            recorded = connection.toScript();
            upstream.verify();
            proxy.verify();
        }

        assertThat(recorded.format()).endsWith("client> line \"PING\"\nserver> line \"PONG\"\n");

        try (FakeTcpServer replay = FakeTcpServer.start()) {
            replay.enqueue(recorded);
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(replay.host(), replay.port()), 5_000);
                socket.setSoTimeout(200);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("PONG");
                assertThatThrownBy(in::read).as("the replayed server waits for the client, as the upstream did")
                        .isInstanceOf(SocketTimeoutException.class);
            }
            replay.verify();
        }
    }
}
