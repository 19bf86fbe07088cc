package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a handler sees through its {@link Exchange}: the documented contract, and never a type of the engine.
 */
class ExchangeContractTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** A handler loop as users write it: answer each line until the client hangs up. */
    private static Script echoLoop(List<String> seen, CountDownLatch ended, AtomicReference<Throwable> thrown) {
        return Script.create().handle("echo lines", exchange -> {
            try {
                String line;
                while ((line = exchange.readLine()) != null) {
                    seen.add(line);
                    exchange.sendLine("echo " + line);
                }
            } catch (Throwable e) {
                thrown.set(e);
                throw e;
            } finally {
                ended.countDown();
            }
        });
    }

    @Test
    void aHandlerLoopEndsCleanlyWhenTheClientResets() throws Exception {
        List<String> seen = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(echoLoop(seen, ended, thrown));
            TestClient client = TestClient.connect(server);
            client.send("one\n");
            assertThat(client.readLine()).isEqualTo("echo one");
            client.reset(); // SO_LINGER 0: RST, as Jedis and others close

            assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(thrown.get()).as("readLine() returned null instead of throwing").isNull();
            assertThat(seen).containsExactly("one");
            server.verify();
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.events()).extracting(TranscriptEvent::kind)
                    .contains(TranscriptEvent.Kind.CLIENT_RESET);
        }
    }

    @Test
    void aHandlerLoopEndsCleanlyWhenTheClientCloses() throws Exception {
        List<String> seen = new ArrayList<>();
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(echoLoop(seen, ended, thrown));
            try (TestClient client = TestClient.connect(server)) {
                client.send("one\ntwo\n");
                assertThat(client.readLine()).isEqualTo("echo one");
                assertThat(client.readLine()).isEqualTo("echo two");
            }
            assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(thrown.get()).isNull();
            server.verify();
        }
    }

    @Test
    void inputReadReturnsMinusOneAfterAReset() throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("read until the end", exchange -> {
                try {
                    byte[] first = exchange.input().readNBytes(2);
                    int next = exchange.input().read();
                    result.set(new String(first, java.nio.charset.StandardCharsets.US_ASCII) + "|" + next + "|"
                            + exchange.input().read(new byte[4], 0, 4));
                } catch (Throwable e) {
                    result.set(e);
                } finally {
                    ended.countDown();
                }
            }));
            TestClient client = TestClient.connect(server);
            client.send("ab");
            RecordedConnection connection = server.takeConnection(WAIT);
            assertThat(connection.awaitUntil(() -> connection.receivedByteCount() == 2, WAIT)).isTrue();
            client.reset();

            assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(result.get()).isEqualTo("ab|-1|-1");
            server.verify();
        }
    }

    @Test
    void aWriteToAClientThatResetThrowsConnectionClosedExceptionAndIsNoFailure() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("answer after the client left", exchange -> {
                assertThat(exchange.readLine()).isNull();
                try {
                    for (int i = 0; i < 1_000; i++) { // the first writes may still reach the kernel
                        exchange.sendLine("too late " + i);
                    }
                } catch (IOException e) {
                    thrown.set(e);
                    throw e; // propagated: the handler ends because the client is gone
                }
            }).sendLine("after the handler"));
            TestClient client = TestClient.connect(server);
            RecordedConnection connection = server.takeConnection(WAIT);
            client.reset();

            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(server.awaitUntil(() -> !connection.isOpen(), WAIT)).isTrue();
            server.verify();
            assertThat(thrown.get()).isExactlyInstanceOf(ConnectionClosedException.class)
                    .hasMessage("the client reset the connection");
            assertThat(((ConnectionClosedException) thrown.get()).closedBy()).isEqualTo(Side.CLIENT);
            assertNoInternalType(thrown.get());
            assertThat(connection.transcript()).contains("script stopped at \"handle: answer after the client left\"");
        }
    }

    @Test
    void aHandlerStillReadingWhenTheServerClosesGetsConnectionClosedExceptionAndFails() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch reading = new CountDownLatch(1);
        FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofSeconds(30)).start();
        server.enqueue(Script.create().handle("wait for a line", exchange -> {
            try {
                reading.countDown();
                exchange.readLine();
            } catch (IOException e) {
                thrown.set(e);
                throw e;
            }
        }));
        try (TestClient client = TestClient.connect(server)) {
            server.takeConnection(WAIT);
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
            server.close();
        }
        assertThat(thrown.get()).isExactlyInstanceOf(ConnectionClosedException.class)
                .hasMessage("the server was shut down");
        assertThat(((ConnectionClosedException) thrown.get()).closedBy()).isEqualTo(Side.SERVER);
        assertNoInternalType(thrown.get());
        assertThat(server.failures()).singleElement().extracting(ScriptFailure::message).isEqualTo(
                "expected the handler \"wait for a line\" to finish, but the server was shut down first");
    }

    @Test
    void aReadThatTimesOutThrowsSocketTimeoutException() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(200)).start()) {
            server.enqueue(Script.create().handle("wait for a line", exchange -> {
                try {
                    exchange.readLine();
                } catch (IOException e) {
                    thrown.set(e);
                    throw e;
                }
            }));
            try (TestClient client = TestClient.connect(server)) {
                client.send("PART");
                assertThat(client.read()).as("closed after the failure").isEqualTo(-1);
            }
            assertThat(thrown.get()).isExactlyInstanceOf(SocketTimeoutException.class).hasMessage(
                    "expected a line from the client within 200 ms (the step timeout), but only \"PART\" came");
            assertThatThrownBy(server::verify).hasMessageContaining("expected step \"handle: wait for a line\" to "
                    + "succeed, but it failed with java.net.SocketTimeoutException: expected a line");
        }
    }

    @Test
    void aTooLongLineIsAPlainIOException() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.builder().lineLimit(8).start()) {
            server.enqueue(Script.create().handle("read a line", exchange -> {
                try {
                    exchange.readLine();
                } catch (IOException e) {
                    thrown.set(e);
                }
            }));
            try (TestClient client = TestClient.connect(server)) {
                client.send("0123456789\n");
            }
            assertThat(server.takeConnection(WAIT).awaitClosed(WAIT)).isTrue();
            server.verify();
            assertThat(thrown.get()).isExactlyInstanceOf(IOException.class).hasMessage(
                    "the client sent a line longer than the line limit of 8 bytes, starting \"01234567\"...");
        }
    }

    @Test
    void aWriteTheClientDoesNotReadThrowsSocketTimeoutException() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(200)).start()) {
            server.enqueue(Script.create().handle("flood", exchange -> {
                try {
                    exchange.output().write(new byte[32 * 1024 * 1024]);
                } catch (IOException e) {
                    thrown.set(e);
                }
            }));
            try (TestClient client = TestClient.connect(server)) {
                RecordedConnection connection = server.takeConnection(WAIT);
                assertThat(connection.awaitUntil(() -> thrown.get() != null, WAIT)).isTrue();
            }
            assertThat(thrown.get()).isExactlyInstanceOf(SocketTimeoutException.class)
                    .hasMessageStartingWith("expected the client to read 33554432 bytes within 200 ms, but it did "
                            + "not read them: ");
        }
    }

    @Test
    void aWriteAfterTheScriptClosedTheConnectionThrowsConnectionClosedExceptionAndIsNoFailure() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().closeAfterSending(3).handle("send two lines", exchange -> {
                try {
                    exchange.sendLine("first");
                } catch (IOException e) {
                    thrown.set(e);
                    throw e;
                }
            }));
            try (TestClient client = TestClient.connect(server)) {
                assertThat(client.readAllText()).isEqualTo("fir");
            }
            assertThat(server.takeConnection(WAIT).awaitClosed(WAIT)).isTrue();
            server.verify();
            assertThat(thrown.get()).isExactlyInstanceOf(ConnectionClosedException.class)
                    .hasMessage("the script closed the connection");
            assertThat(((ConnectionClosedException) thrown.get()).closedBy()).isEqualTo(Side.SERVER);
        }
    }

    @Test
    void aHandlerThatWrapsTheExceptionStillEndsCleanly() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("wrap", exchange -> {
                exchange.readLine();
                try {
                    for (int i = 0; i < 1_000; i++) {
                        exchange.sendLine("late " + i);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }));
            TestClient client = TestClient.connect(server);
            RecordedConnection connection = server.takeConnection(WAIT);
            client.reset();
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(server.awaitUntil(() -> !connection.isOpen(), WAIT)).isTrue();
            server.verify();
        }
    }

    @Test
    void theExchangeAndItsStreamsNameTheConnection() throws Exception {
        AtomicReference<String> names = new AtomicReference<>();
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().handle("describe", exchange -> names.set(exchange + ", "
                    + exchange.input() + ", " + exchange.output())));
            TestClient.connect(server).close();
            assertThat(server.takeConnection(WAIT).awaitClosed(WAIT)).isTrue();
            server.verify();
        }
        assertThat(names.get()).isEqualTo("Exchange of connection #1, input of connection #1, output of connection #1");
    }

    /** Fails if the exception, or any exception it refers to, is of a type in {@code dev.tcpfixture.internal}. */
    static void assertNoInternalType(Throwable thrown) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        List<Throwable> pending = new ArrayList<>(List.of(thrown));
        while (!pending.isEmpty()) {
            Throwable next = pending.remove(pending.size() - 1);
            if (next == null || seen.put(next, Boolean.TRUE) != null) {
                continue;
            }
            assertThat(next.getClass().getName()).as("type of %s", next).doesNotStartWith("dev.tcpfixture.internal");
            pending.add(next.getCause());
            pending.addAll(List.of(next.getSuppressed()));
        }
    }
}
