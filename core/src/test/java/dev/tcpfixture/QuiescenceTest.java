package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What "quiet" means, case by case: a connection waiting for input that cannot finish its step is quiet, one
 * with input it has not looked at is not, and a server that cannot become quiet within the step timeout says
 * so instead of answering as if it were.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuiescenceTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String NOT_QUIET = "expected the server to become quiet";

    private static Socket connect(FakeTcpServer server) throws Exception {
        Socket socket = new Socket();
        socket.connect(server.address(), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws Exception {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void aPartialLineIsQuietAndNotAFailureYet() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().expectLine("PING"));
            try (Socket client = connect(server)) {
                send(client, "PIN");

                assertThat(server.failures()).isEmpty();
                RecordedConnection connection = server.takeConnection(WAIT);
                assertThat(connection.receivedText()).as("the quiet check took the bytes and recorded them")
                        .isEqualTo("PIN");
            }
        }
    }

    @Test
    void bytesThatArriveDuringAPauseAreJudgedAfterIt() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().pause(Duration.ofMillis(300)).expectLine("PING"));
            try (Socket client = connect(server)) {
                send(client, "PONG\r\n");

                assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                        .hasMessageContaining("expected line \"PING\", but received line \"PONG\"")
                        .hasMessageNotContaining(NOT_QUIET);
            }
        }
    }

    @Test
    void aCloseDuringAPauseIsJudgedAfterIt() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create().pause(Duration.ofMillis(300)).expectLine("PING"));
            connect(server).close();

            assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("expected line \"PING\", but the client closed the connection");
        }
    }

    @Test
    void bytesAHandlerTookAreUnjudgedUntilTheStepEnds() throws Exception {
        // the handler reads the line, then sends slowly before it judges it: quiet only once it has judged
        for (int round = 0; round < 50; round++) {
            try (FakeTcpServer server = FakeTcpServer.start()) {
                server.enqueue(Script.create().drip(1, Duration.ofMillis(20)).handle("judge after answering",
                        exchange -> {
                            String request = exchange.readLine();
                            exchange.sendLine("OK");
                            if (!"PING".equals(request)) {
                                throw new IllegalStateException("expected PING, got " + request);
                            }
                        }));
                try (Socket client = connect(server)) {
                    send(client, "PONG\r\n");
                    assertThat(server.failures()).as("round %d", round).singleElement()
                            .satisfies(failure -> assertThat(failure.message()).contains("expected PING, got PONG"));
                }
            }
        }
    }

    @Test
    void anInterruptLeftByAHandlerDoesNotEndTheConnectionOrSpin() throws Exception {
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.enqueue(Script.create()
                    .handle("leave an interrupt", exchange -> Thread.currentThread().interrupt())
                    .pause(Duration.ofMillis(50))
                    .sendLine("after")
                    .expectLine("BYE"));
            try (Socket client = connect(server)) {
                byte[] reply = new byte[7];
                assertThat(client.getInputStream().readNBytes(reply, 0, 7)).isEqualTo(7);
                assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("after\r\n");
                send(client, "BYE\r\n");
            }
            server.verify();
        }
    }

    @Test
    void aClientThatKeepsSendingFasterThanTheScriptReadsDoesNotHangVerify() throws Exception {
        FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(300)).start();
        server.enqueue(Script.create().pause(Duration.ofSeconds(30)).expectLine("PING"));
        AtomicBoolean sending = new AtomicBoolean(true);
        CountDownLatch started = new CountDownLatch(1);
        Thread flood = new Thread(() -> {
            byte[] chunk = new byte[8192];
            try (Socket client = connect(server)) {
                OutputStream output = client.getOutputStream();
                output.write(chunk); // delivered before write returns: the server has input to process from now on
                started.countDown();
                while (sending.get()) {
                    output.write(chunk);
                }
            } catch (Exception stopped) {
                // the server closed the connection
            }
        }, "flooding client");
        flood.start();
        try {
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            List<ScriptFailure> failures = server.failures();
            assertThat(failures).hasSize(1);
            assertThat(failures.get(0).message())
                    .startsWith(NOT_QUIET + " within 300 ms, but connection #1 was still pausing");
        } finally {
            sending.set(false);
            server.close();
            flood.join(5_000);
        }
        assertThat(flood.isAlive()).isFalse();
        assertThat(server.liveThreadCount()).isZero();
        assertThat(server.failures()).extracting(ScriptFailure::message)
                .anySatisfy(message -> assertThat(message).contains("before closing"))
                .anySatisfy(message -> assertThat(message).contains("but the server was shut down first"));
    }

    @Test
    void aHandlerThatDoesNotReturnIsNamedAtTheBound() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakeTcpServer server = FakeTcpServer.builder().stepTimeout(Duration.ofMillis(300)).start()) {
            server.enqueue(Script.create().handle("wait for the test", exchange -> release.await(10, TimeUnit.SECONDS)));
            try (Socket client = connect(server)) {
                assertThat(server.awaitUntil(() -> server.connectionCount() == 1, WAIT)).isTrue();

                assertThatThrownBy(server::verify).isInstanceOf(AssertionError.class)
                        .hasMessageContaining(NOT_QUIET + " within 300 ms, but connection #1 was still running a step");
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void aConnectionStillInTheAcceptQueueIsJudged() throws Exception {
        // many connections at once: most of them are still in the kernel's accept queue when verify() starts
        try (FakeTcpServer server = FakeTcpServer.start()) {
            server.defaultScript(Script.create().expectLine("PING"));
            for (int i = 0; i < 50; i++) {
                try (Socket client = connect(server)) {
                    send(client, "PONG " + i + "\r\n");
                }
            }
            List<ScriptFailure> failures = server.failures();
            assertThat(failures).hasSize(50).allSatisfy(failure ->
                    assertThat(failure.message()).contains("but received line \"PONG "));
            assertThat(server.connectionCount()).isEqualTo(50);
        }
    }
}
