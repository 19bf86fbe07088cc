package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.ProxyFault.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client's close behind a full buffer: the proxy holds exactly a buffer's worth of the client's bytes (a stall
 * toward the upstream, so its pipe reads nothing and keeps its first, 64 KiB buffer), and the client then closes.
 * Quiet must mean the close is recorded; bytes the record cannot take yet mean not quiet.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyFullBufferCloseTest {

    private static final int BUFFER = 64 * 1024; // the first buffer of a pipe
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void aCloseBehindExactlyAFullBufferIsRecordedWhenQuiet() throws Exception {
        byte[] data = random(BUFFER, 1);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TcpProxy proxy = TcpProxy.start((InetSocketAddress) upstream.getLocalSocketAddress())) {
            proxy.add(ProxyFault.stall().direction(Direction.TO_UPSTREAM));
            try (Socket client = new Socket(); Socket server = acceptAfter(upstream, client, proxy)) {
                client.getOutputStream().write(data);
                client.shutdownOutput();
                assertThat(proxy.awaitQuiet()).isTrue();
                RecordedConnection connection = proxy.takeConnection(WAIT);
                assertThat(connection.receivedByteCount()).isEqualTo(BUFFER);
                assertThat(connection.events()).extracting(TranscriptEvent::kind)
                        .contains(TranscriptEvent.Kind.CLIENT_CLOSED);

                proxy.remove(proxy.faults().get(0));
                assertThat(readToEnd(server)).isEqualTo(data);
            }
            proxy.verify();
        }
    }

    @Test
    void bytesPastAFullBufferMakeTheProxyNotQuietUntilTheyFlow() throws Exception {
        byte[] data = random(BUFFER + 1, 2);
        try (ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TcpProxy proxy = TcpProxy.builder().upstream((InetSocketAddress) upstream.getLocalSocketAddress())
                        .stepTimeout(Duration.ofMillis(200)).start()) {
            proxy.add(ProxyFault.stall().direction(Direction.TO_UPSTREAM));
            try (Socket client = new Socket(); Socket server = acceptAfter(upstream, client, proxy)) {
                client.getOutputStream().write(data);
                client.shutdownOutput();
                assertThat(proxy.awaitQuiet()).isFalse(); // one byte and the close wait in the kernel, held back

                proxy.remove(proxy.faults().get(0));
                assertThat(readToEnd(server)).isEqualTo(data);
                assertThat(proxy.awaitQuiet()).isTrue();
                RecordedConnection connection = proxy.takeConnection(WAIT);
                assertThat(connection.received()).isEqualTo(data);
                assertThat(connection.events()).extracting(TranscriptEvent::kind)
                        .contains(TranscriptEvent.Kind.CLIENT_CLOSED);
            }
        }
    }

    @Test
    void theLastByteAndTheCloseRacingAQuietCheckArriveWholeUnderLoad() throws Exception {
        // the client fills the buffer, then sends one more byte and closes while quiet checks run: a check may
        // take that byte past the full buffer; it must reach the upstream once, in order, and be recorded once
        int rounds = 60;
        ExecutorService closer = Executors.newSingleThreadExecutor();
        long start = System.nanoTime();
        try (BusyLoad load = BusyLoad.start(2);
                ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TcpProxy proxy = TcpProxy.builder().upstream((InetSocketAddress) upstream.getLocalSocketAddress())
                        .stepTimeout(Duration.ofMillis(100)).start()) {
            for (int round = 0; round < rounds; round++) {
                byte[] data = random(BUFFER + 1, 100 + round);
                ProxyFault stall = ProxyFault.stall().direction(Direction.TO_UPSTREAM);
                proxy.add(stall);
                try (Socket client = new Socket(); Socket server = acceptAfter(upstream, client, proxy)) {
                    client.getOutputStream().write(data, 0, BUFFER);
                    Future<?> last = closer.submit(() -> {
                        client.getOutputStream().write(data, BUFFER, 1);
                        client.shutdownOutput();
                        return null;
                    });
                    proxy.awaitQuiet(); // either way: quiet before the last byte, or not quiet after it
                    last.get(10, TimeUnit.SECONDS);
                    proxy.remove(stall);
                    assertThat(readToEnd(server)).as("round %d: what the upstream got", round).isEqualTo(data);
                    assertThat(proxy.awaitQuiet()).isTrue();
                    RecordedConnection connection = proxy.takeConnection(WAIT);
                    assertThat(connection.received()).as("round %d: the record", round).isEqualTo(data);
                    assertThat(connection.events()).extracting(TranscriptEvent::kind)
                            .contains(TranscriptEvent.Kind.CLIENT_CLOSED);
                }
            }
        } finally {
            closer.shutdownNow();
            assertThat(closer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        System.out.printf("proxy: %d closes racing a quiet check behind a full buffer, under load, in %d ms%n", rounds,
                (System.nanoTime() - start) / 1_000_000);
    }

    private static Socket acceptAfter(ServerSocket upstream, Socket client, TcpProxy proxy) throws IOException {
        client.connect(proxy.address(), 2_000);
        client.setSoTimeout(10_000);
        Socket server = upstream.accept();
        server.setSoTimeout(10_000);
        return server;
    }

    private static byte[] readToEnd(Socket server) throws IOException {
        InputStream in = server.getInputStream();
        return in.readAllBytes();
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
