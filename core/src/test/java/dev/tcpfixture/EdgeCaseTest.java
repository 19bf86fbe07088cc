package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Corner cases found in review: each test failed before its fix. */
class EdgeCaseTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    @Test
    void acceptThenCloseSendsFinEvenWhenTheRequestIsAlreadyThere() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().mode(ConnectionMode.ACCEPT_THEN_CLOSE).start()) {
            for (int i = 0; i < 100; i++) {
                try (Socket socket = new Socket(server.host(), server.port())) {
                    socket.setSoTimeout(5_000);
                    socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(socket.getInputStream().read()).as("attempt %d", i).isEqualTo(-1);
                }
            }
            RecordedConnection last = server.connections().get(99);
            assertThat(last.awaitUntil(() -> !last.isOpen(), WAIT)).isTrue();
            assertThat(last.receivedText()).isEqualTo("GET / HTTP/1.0\r\n\r\n");
            assertThat(last.closedFirstBy()).contains(Side.SERVER);
            server.verify();
        }
    }

    @Test
    void closeFromAnInterruptedThreadStillWaitsForEveryThread() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.defaultScript(Script.create().stall());
        Socket[] clients = new Socket[5];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Socket(server.host(), server.port());
        }
        assertThat(server.awaitUntil(() -> server.connectionCount() == 5, WAIT)).isTrue();

        Thread.currentThread().interrupt();
        try {
            server.close();
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }

        assertThat(server.liveThreadCount()).isZero();
        assertThat(server.failures()).isEmpty();
        for (Socket client : clients) {
            client.close();
        }
    }

    @Test
    void closeCalledOnAServerThreadIsNotReportedAsAStuckThread() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        CountDownLatch closed = new CountDownLatch(1);
        server.enqueue(Script.create().sendLine("bye").handle("close the whole server", exchange -> {
            exchange.connection();
            closedBy(server);
            closed.countDown();
        }));

        try (TestClient client = TestClient.connect(server)) {
            assertThat(client.readLine()).isEqualTo("bye");
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(server.failures()).isEmpty();
    }

    private static void closedBy(FakeTcpServer server) {
        server.close();
    }

    @Test
    void concurrentClosesBothReturnAfterEverythingStopped() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.defaultScript(Script.create().stall());
        try (Socket client = new Socket(server.host(), server.port())) {
            assertThat(server.awaitUntil(() -> server.connectionCount() == 1, WAIT)).isTrue();
            CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
                server.close();
                return server.liveThreadCount();
            });
            server.close();
            assertThat(server.liveThreadCount()).isZero();
            assertThat(other.get(10, TimeUnit.SECONDS)).isZero();
        }
    }

    @Test
    void aHandlerCutShortByAClientResetSeesTheEndOfTheStreamAndALaterExpectationFails() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            byte[][] frame = new byte[1][];
            server.enqueue(Script.create()
                    .handle("read a 10-byte frame", exchange -> frame[0] = exchange.input().readNBytes(10))
                    .expectLine("QUIT"));
            TestClient client = TestClient.connect(server);
            client.send("abc");
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitUntil(() -> connection.receivedByteCount() == 3, WAIT)).isTrue();
            client.reset();

            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThatThrownBy(server::verify).hasMessageContaining(
                    "expected line \"QUIT\", but the client reset the connection first");
            assertThat(frame[0]).as("the handler's read ended at the reset").containsExactly('a', 'b', 'c');
        }
    }

    @Test
    void aHandlerThatClosesTheSocketItselfIsRecordedAsTheServerClosing() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("close", exchange -> exchange.socket().close()));
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.read()).isEqualTo(-1);
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.closedFirstBy()).contains(Side.SERVER);
            server.verify();
        }
    }

    @Test
    void pingPongKeepsTheEventListBounded() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().echo());
            try (Socket socket = new Socket(server.host(), server.port())) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                for (int i = 0; i < 12_000; i++) {
                    out.write('x');
                    assertThat(in.read()).isEqualTo('x');
                }
            }
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.receivedByteCount()).isEqualTo(12_000);
            assertThat(connection.received()).hasSize(12_000);
            assertThat(connection.events().size()).isLessThan(10_010);
            assertThat(connection.transcript()).contains("later data events not listed");
        }
    }

    @Test
    void aLongLineFailsEvenWhenItArrivesInOneRead() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(16).start()) {
            server.enqueue(Script.create().expectLine("short"));
            try (TestClient client = TestClient.connect(server)) {
                client.send("y".repeat(1_000) + "\n");
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThatThrownBy(server::verify).hasMessageContaining("longer than the line limit of 16 bytes");
        }
    }

    @Test
    void aClientThatDoesNotReadFailsTheSendAfterTheStepTimeout() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(300)).start()) {
            server.enqueue(Script.create().send(new byte[32 * 1024 * 1024]).sendLine("never"));
            try (Socket socket = new Socket(server.host(), server.port())) {
                RecordedConnection connection = server.takeConnection(WAIT);
                assertThat(connection.awaitUntil(() -> !connection.failures().isEmpty(), WAIT)).isTrue();
                assertThat(connection.failures().get(0).message())
                        .startsWith("expected the client to read 33554432 bytes within 300 ms, but it did not read them: ")
                        .endsWith(" could not be sent");
                assertThat(connection.sentByteCount()).isPositive().isLessThan(32L * 1024 * 1024);
            }
        }
    }

    @Test
    void closeEndsASendBlockedOnAClientThatDoesNotRead() throws Exception {
        FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMinutes(10)).start();
        server.enqueue(Script.create().send(new byte[32 * 1024 * 1024]));
        try (Socket socket = new Socket(server.host(), server.port())) {
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitUntil(() -> connection.sentByteCount() > 0, WAIT)).isTrue();
            long start = System.nanoTime();
            server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(server.liveThreadCount()).isZero();
        }
    }

    @Test
    void hugeTimeoutsSaturateInsteadOfOverflowing() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.builder().stepTimeout(FOREVER).start()) {
            server.enqueue(Script.create().withStepTimeout(FOREVER).expectLine("hi").sendLine("ho").close());
            try (TestClient client = TestClient.connect(server)) {
                client.send("hi\n");
                assertThat(client.readLine()).isEqualTo("ho");
            }
            assertThat(server.takeConnection(FOREVER).id()).isEqualTo(1);
            assertThat(server.awaitUntil(() -> true, FOREVER)).isTrue();
            server.verify();
        }
    }

    @Test
    void onlyLoopbackOrWildcardAddressesCanBeBound() throws Exception {
        // ::2, neither loopback nor wildcard (an unassigned reserved address): rejected before any socket exists
        java.net.InetAddress notLoopback = java.net.InetAddress.getByAddress(
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
        assertThatThrownBy(() -> FakeTcpServer.builder().bindAddress(notLoopback))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not 0:0:0:0:0:0:0:2");
    }

    @Test
    void aPartialLineDoesNotHoldUpFailuresOrClose() throws Exception {
        FakeTcpServer server = FakeTcpServer.start();
        server.enqueue(Script.create().expectLine("HELLO"));
        try (TestClient client = TestClient.connect(server)) {
            client.send("HEL");
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitUntil(() -> connection.receivedByteCount() == 3, WAIT)).isTrue();

            long start = System.nanoTime();
            assertThat(server.failures()).isEmpty();
            server.close();
            // both used to wait their full second for the rest of the line; now only for bytes that arrived
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        }
        assertThatThrownBy(server::verify).hasMessageContaining("expected line \"HELLO\", but the server was shut down first");
    }
}
