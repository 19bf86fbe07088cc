package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ProxyFault.Direction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault outcomes as the README and the Javadoc state them, each in a case a review found them not to hold (a reset
 * now for a client that only reads, a close after N bytes with the upstream's bytes unread, the bandwidth bound
 * below 50 bytes per second, a byte limit added while a write waits, an upstream that does not answer).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyFaultDocumentedOutcomeTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static ServerSocket loopbackServer() throws IOException {
        return new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** README table: resetNow "resets the connections it applies to: open ones at once". */
    @Test
    void resetNowResetsAnOpenConnectionAtOnceEvenIfItsClientOnlyRead() throws Exception {
        try (ServerSocket upstream = loopbackServer();
                TcpProxy proxy = TcpProxy.start((InetSocketAddress) upstream.getLocalSocketAddress());
                ProxyClient client = ProxyClient.connect(proxy.address(), 2_000);
                Socket server = upstream.accept()) {
            write(server, "HELLO\n"); // a server-first protocol: greeting, then the client would answer
            assertThat(client.readLine()).isEqualTo("HELLO");
            proxy.add(ProxyFault.resetNow());
            write(server, "PUSH\n");
            // documented: Connection reset at the client's next read
            assertThatThrownBy(client::readLine).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
    }

    /** ProxyFault.Kind.CLOSE_AFTER: "then closes both connections (FIN) ... the upstream sees end of stream too". */
    @Test
    void closeAfterGivesTheUpstreamEndOfStreamEvenWithItsBytesUnread() throws Exception {
        try (ServerSocket upstream = loopbackServer();
                TcpProxy proxy = TcpProxy.start((InetSocketAddress) upstream.getLocalSocketAddress())) {
            proxy.add(ProxyFault.stall()); // to the client: the upstream's greeting stays in the proxy's socket
            proxy.add(ProxyFault.closeAfter(3).direction(Direction.TO_UPSTREAM));
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 5_000);
                    Socket server = upstream.accept()) {
                server.setSoTimeout(5_000);
                write(server, "HELLO\n");
                client.send("GET\n");
                assertThat(new String(server.getInputStream().readNBytes(3), StandardCharsets.US_ASCII))
                        .isEqualTo("GET");
                assertThat(server.getInputStream().read()).isEqualTo(-1); // documented: end of stream
            }
        }
    }

    /**
     * README: "a transfer of n bytes takes at least (n - the first piece) / bytesPerSecond, the piece being
     * bytesPerSecond / 50 bytes (at least 1, at most 64 KiB)".
     */
    @Test
    void bandwidthBelowFiftyBytesPerSecondMeetsTheReadmeBound() throws Exception {
        try (ServerSocket upstream = loopbackServer();
                TcpProxy proxy = TcpProxy.start((InetSocketAddress) upstream.getLocalSocketAddress())) {
            proxy.add(ProxyFault.bandwidth(2)); // pieces of 1 byte: for n = 2, (2 - 1) / 2 = 0.5 s
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 10_000);
                    Socket server = upstream.accept()) {
                long start = System.nanoTime();
                write(server, "ab");
                assertThat(client.readBytes(2)).hasSize(2);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
            }
        }
    }

    /**
     * TcpProxy.add: "It takes effect at once, on the connections that are open"; closeAfter(0): "forwards 0 more
     * bytes, then closes". The pipe to the client is blocked mid-write (the client reads nothing).
     */
    @Test
    void aByteLimitAddedWhileAWriteIsBlockedLetsNoMoreBytesThrough() throws Exception {
        byte[] bulk = new byte[8 << 20];
        try (ServerSocket upstream = loopbackServer();
                TcpProxy proxy = TcpProxy.start((InetSocketAddress) upstream.getLocalSocketAddress());
                ProxyClient client = ProxyClient.connect(proxy.address(), 10_000);
                Socket server = upstream.accept()) {
            Thread writer = new Thread(() -> {
                try (OutputStream out = server.getOutputStream()) {
                    out.write(bulk);
                } catch (IOException expected) {
                    // the proxy ends the connection
                }
            });
            writer.start();
            RecordedConnection connection = proxy.takeConnection(WAIT);
            long before;
            long again = -1;
            do { // until the pipe to the client is blocked: two quiet checks see the same count
                assertThat(proxy.awaitQuiet()).isTrue();
                before = connection.sentByteCount();
                assertThat(proxy.awaitQuiet()).isTrue();
                again = connection.sentByteCount();
            } while (before == 0 || before != again);
            proxy.add(ProxyFault.closeAfter(0));
            long sentAtAdd = connection.sentByteCount();
            long read = client.readAll().length;
            writer.join();
            System.out.println("sent when added: " + sentAtAdd + ", client read: " + read + ", record: "
                    + connection.sentByteCount());
            assertThat(read).isEqualTo(sentAtAdd);
        }
    }

    /**
     * README: an upstream that is down "is recorded, not a failure": the connect timeout is shorter than the step
     * timeout, which bounds verify()'s wait (by default half of it when that is under 2 s; set longer, refused).
     */
    @Test
    void anUpstreamThatTimesOutIsNotAFailureWhateverTheStepTimeout() throws Exception {
        try (FakeTcpServer down = FakeTcpServer.builder().mode(ConnectionMode.CONNECT_TIMEOUT).start()) {
            assertThatThrownBy(() -> TcpProxy.builder().upstream(down.address()).stepTimeout(Duration.ofMillis(300))
                    .connectTimeout(Duration.ofMillis(1_500)).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("connectTimeout (1.5 s) must be shorter than stepTimeout (300 ms): verify() and "
                            + "awaitQuiet() wait at most the step timeout, also for a connection still reaching an "
                            + "upstream that does not answer");
        }
        assertThat(TcpProxy.builder().stepTimeout(Duration.ofMillis(300)).toString())
                .contains("connectTimeout=150 ms");
        try (FakeTcpServer down = FakeTcpServer.builder().mode(ConnectionMode.CONNECT_TIMEOUT).start();
                TcpProxy proxy = TcpProxy.builder().upstream(down.address()).stepTimeout(Duration.ofMillis(300))
                        .start()) {
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 5_000)) {
                client.send("X\n");
                assertThat(proxy.failures()).isEmpty(); // the client did all it does: verify() now
                assertThatThrownBy(client::read).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }
            assertThat(proxy.failures()).isEmpty();
        }
    }
}
