package dev.tcpfixture.junit;

import static dev.tcpfixture.junit.TcpAssertions.assertClientClosed;
import static dev.tcpfixture.junit.TcpAssertions.assertClientFails;
import static dev.tcpfixture.junit.TcpAssertions.assertConnectTimesOut;
import static dev.tcpfixture.junit.TcpAssertions.assertConnects;
import static dev.tcpfixture.junit.TcpAssertions.assertConnectsReturning;
import static dev.tcpfixture.junit.TcpAssertions.assertReadTimesOut;
import static dev.tcpfixture.junit.TcpAssertions.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithTcpServer
class TcpAssertionsTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    private static final String NL = System.lineSeparator();

    /** A tiny client under test: connects, sends a line, reads one line back. */
    static String ping(FakeTcpServer server, int timeoutMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server.address(), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
            byte[] reply = new byte[64];
            int count = socket.getInputStream().read(reply);
            return count < 0 ? null : new String(reply, 0, count, StandardCharsets.UTF_8).strip();
        }
    }

    @Nested
    class AssertConnects {

        @Test
        void returnsTheNewConnection(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG again").close());
            ping(server, 2_000);

            RecordedConnection connection = assertConnects(server, () -> assertThat(ping(server, 2_000))
                    .isEqualTo("PONG again"));

            assertThat(connection.id()).isEqualTo(2);
            assertThat(connection.receivedLines()).containsExactly("PING");
        }

        @Test
        void waitsForAConnectionMadeAfterTheClientCodeReturned(@TcpServer FakeTcpServer server) throws Exception {
            CompletableFuture<Void> later = new CompletableFuture<>();

            RecordedConnection connection = assertConnects(server, () -> CompletableFuture.runAsync(() -> {
                try (Socket socket = new Socket(server.host(), server.port())) {
                    socket.getOutputStream().write("late\n".getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).whenComplete((result, error) -> later.complete(null)));

            later.get(5, TimeUnit.SECONDS);
            assertThat(connection.id()).isEqualTo(1);
        }

        @Test
        void failsWithTheClientsExceptionAsCause(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
            assertThatThrownBy(() -> assertConnects(server, () -> ping(server, 2_000)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected the client to connect to fake TCP server " + server.authority()
                            + " (mode REFUSE), but the client code threw java.net.ConnectException: Connection refused "
                            + "after ")
                    .hasMessageContaining("Transcript:")
                    .hasMessageContaining("(no connections to " + server.authority() + ")")
                    .cause().isInstanceOf(ConnectException.class);
        }

        @Test
        void failsWithModeAndTranscriptWhenNoConnectionCame(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());
            ping(server, 2_000);

            assertThatThrownBy(() -> assertConnects(server, SHORT, () -> { }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected the client to open a new connection to fake TCP server "
                            + server.authority() + " (mode ACCEPT), but none came within 200 ms (1 connection "
                            + "before the client code ran, 1 now)")
                    .hasMessageContaining("Transcript:" + System.lineSeparator() + "  connection #1 ")
                    .hasMessageContaining("client> \"PING\\r\\n\"")
                    .hasMessageContaining("server> \"PONG\\r\\n\"");
        }

        @Test
        void returnsWhatTheClientReturnedWithTheConnection(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());

            Connected<String> connected = assertConnectsReturning(server, () -> ping(server, 2_000));

            assertThat(connected.result()).isEqualTo("PONG");
            assertThat(connected.connection().id()).isEqualTo(1);
            TcpAssertions.assertThat(connected.connection()).receivedLine("PING");
        }

        @Test
        void returnsAnHttpResponseOfTheJdkClient(@TcpServer FakeTcpServer server) throws Exception {
            server.enqueue(Script.create().skipLinesThrough("")
                    .send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").close());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + server.authority() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build();

            Connected<HttpResponse<String>> connected = assertConnectsReturning(server,
                    () -> http.send(request, HttpResponse.BodyHandlers.ofString()));

            assertThat(connected.result().statusCode()).isEqualTo(200);
            assertThat(connected.result().body()).isEqualTo("ok");
            TcpAssertions.assertThat(connected.connection()).receivedLine("GET /health HTTP/1.1");
        }

        @Test
        void theReturningFormFailsAsTheOtherOne(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
            assertThatThrownBy(() -> assertConnectsReturning(server, () -> ping(server, 2_000)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected the client to connect to fake TCP server " + server.authority()
                            + " (mode REFUSE), but the client code threw java.net.ConnectException")
                    .hasCauseInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> assertConnectsReturning(server, SHORT, () -> "no client"))
                    .hasMessageStartingWith("Expected the client to open a new connection to fake TCP server "
                            + server.authority() + " (mode REFUSE), but none came within 200 ms (0 connections "
                            + "before the client code ran, 0 now)");
        }

        @Test
        void rejectsANonPositiveTimeout(@TcpServer FakeTcpServer server) {
            assertThatThrownBy(() -> assertConnects(server, Duration.ZERO, () -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("timeout must be positive, was PT0S");
        }
    }

    @Nested
    class AssertClientFails {

        @Test
        void returnsTheExceptionOfTheExpectedType() {
            IOException expected = new IOException("no reply");

            IOException thrown = assertClientFails(IOException.class, () -> {
                throw expected;
            });

            assertThat(thrown).isSameAs(expected);
        }

        @Test
        void seesAResetConnection(@TcpServer(mode = ConnectionMode.ACCEPT_THEN_RESET) FakeTcpServer server) {
            SocketException thrown = assertClientFails(SocketException.class, () -> ping(server, 2_000));

            // at connect, write or read: "Connection reset" (or "Connection reset by peer" from a write)
            assertThat(thrown).hasMessageContaining("Connection reset");
            TcpAssertions.assertThat(server).hasConnectionCount(1);
        }

        @Test
        void failsWhenTheClientCodeCompletes() {
            assertThatThrownBy(() -> assertClientFails(IOException.class, () -> { }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected the client code to fail with java.io.IOException, but it completed normally");
        }

        @Test
        void failsWhenTheClientCodeThrowsSomethingElse() {
            IllegalStateException other = new IllegalStateException("boom");

            assertThatThrownBy(() -> assertClientFails(IOException.class, () -> {
                throw other;
            }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("Expected the client code to fail with java.io.IOException, but it failed with "
                            + "java.lang.IllegalStateException: boom")
                    .hasCause(other);
        }
    }

    @Nested
    class AssertRefused {

        @Test
        void passesWhenTheConnectWasRefused(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
            Throwable thrown = assertRefused(server, () -> ping(server, 2_000));

            assertThat(thrown).isInstanceOf(ConnectException.class);
        }

        @Test
        void acceptsAClientThatWrapsTheConnectException(@TcpServer FakeTcpServer server) {
            server.mode(ConnectionMode.REFUSE);

            Throwable thrown = assertRefused(server, () -> {
                try {
                    ping(server, 2_000);
                } catch (IOException e) {
                    throw new IllegalStateException("service unavailable", e);
                }
            });

            assertThat(thrown).hasMessage("service unavailable").hasCauseInstanceOf(ConnectException.class);
        }

        @Test
        void findsTheConnectExceptionAmongSuppressedExceptions(@TcpServer(mode = ConnectionMode.REFUSE)
                FakeTcpServer server) {
            // the shape of Jedis 8: its own exception, with what each address's connect threw added as suppressed
            Throwable thrown = assertRefused(server, () -> {
                IllegalStateException failed = new IllegalStateException("Failed to connect to "
                        + server.authority() + ".");
                try {
                    ping(server, 2_000);
                } catch (IOException e) {
                    failed.addSuppressed(e);
                }
                throw failed;
            });

            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(ConnectException.class);
        }

        @Test
        void findsItAnywhereInTheGraph(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
            Throwable thrown = assertRefused(server, () -> {
                IOException inner = new IOException("pool exhausted");
                try {
                    ping(server, 2_000);
                } catch (IOException e) {
                    inner.addSuppressed(new IllegalStateException("retry 1", e));
                }
                throw new RuntimeException("call failed", new IllegalStateException("no connection", inner));
            });

            assertThat(thrown).hasMessage("call failed");
        }

        @Test
        void walksACycleOnceAndShowsIt(@TcpServer FakeTcpServer server) {
            server.mode(ConnectionMode.REFUSE);
            IllegalStateException outer = new IllegalStateException("outer");
            IllegalStateException inner = new IllegalStateException("inner");
            outer.initCause(inner);
            inner.initCause(outer);
            outer.addSuppressed(inner);

            assertThatThrownBy(() -> assertRefused(server, () -> {
                throw outer;
            }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("The exceptions:" + NL
                            + "  java.lang.IllegalStateException: outer" + NL
                            + "    caused by: java.lang.IllegalStateException: inner" + NL
                            + "      caused by: (again) java.lang.IllegalStateException: outer" + NL
                            + "    suppressed: (again) java.lang.IllegalStateException: inner" + NL
                            + "Transcript:")
                    .hasCause(outer);
        }

        @Test
        void showsABoundedGraphWhenNothingMatches(@TcpServer FakeTcpServer server) {
            server.mode(ConnectionMode.REFUSE);
            IllegalStateException top = new IllegalStateException("top");
            for (int i = 0; i < 1000; i++) {
                top.addSuppressed(new IOException("attempt " + i + " " + "x".repeat(10_000)));
            }
            RuntimeException deep = new RuntimeException("level 0");
            for (int level = 1; level < 100; level++) {
                deep = new RuntimeException("level " + level, deep);
            }
            top.initCause(deep);
            IllegalStateException thrown = top;

            assertThatThrownBy(() -> assertRefused(server, () -> {
                throw thrown;
            }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("  java.lang.IllegalStateException: top" + NL
                            + "    caused by: java.lang.RuntimeException: level 99" + NL
                            + "      caused by: java.lang.RuntimeException: level 98" + NL)
                    .hasMessageContaining("characters omitted")
                    .hasMessageContaining("... 1081 more exceptions")
                    .satisfies(error -> assertThat(error.getMessage()).hasSizeLessThan(20_000));
        }

        @Test
        void failsWhenTheClientConnected(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());

            assertThatThrownBy(() -> assertRefused(server, () -> ping(server, 2_000)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected the client's connection to fake TCP server "
                            + server.authority() + " (mode ACCEPT) to be refused, but the client code completed "
                            + "normally after ")
                    .hasMessageContaining("; 1 new connection: #1")
                    .hasMessageContaining("client> \"PING\\r\\n\"");
        }

        @Test
        void failsWhenTheClientFailedForAnotherReason(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().expectLine("PING").reset());

            assertThatThrownBy(() -> assertRefused(server, () -> {
                try {
                    ping(server, 2_000);
                } catch (IOException e) {
                    throw new IllegalStateException("no reply", e);
                }
                throw new IllegalStateException("no reply");
            }))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("to be refused, but the client code failed after ")
                    .hasMessageContaining(" with java.lang.IllegalStateException: no reply, and no exception in it "
                            + "(its causes and suppressed exceptions included) is java.net.ConnectException; 1 new "
                            + "connection: #1" + NL + "The exceptions:" + NL
                            + "  java.lang.IllegalStateException: no reply")
                    .hasMessageContaining("Transcript:");
        }
    }

    @Nested
    class AssertConnectTimesOut {

        @Test
        void passesWhenTheConnectTimedOut(@TcpServer(mode = ConnectionMode.CONNECT_TIMEOUT) FakeTcpServer server) {
            Throwable thrown = assertConnectTimesOut(server, () -> ping(server, 200));

            assertThat(thrown).isInstanceOf(SocketTimeoutException.class);
            TcpAssertions.assertThat(server).hasNoConnections();
        }

        @Test
        void passesWithinABound(@TcpServer(mode = ConnectionMode.CONNECT_TIMEOUT) FakeTcpServer server) {
            Throwable thrown = assertConnectTimesOut(server, Duration.ofSeconds(3), () -> ping(server, 200));

            assertThat(thrown).isInstanceOf(SocketTimeoutException.class);
        }

        @Test
        void failsWhenTheClientTookLongerThanTheBoundSayingHowLong(
                @TcpServer(mode = ConnectionMode.CONNECT_TIMEOUT) FakeTcpServer server) {
            assertThatThrownBy(() -> assertConnectTimesOut(server, Duration.ofMillis(50), () -> ping(server, 400)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected the client's connection to fake TCP server "
                            + server.authority() + " (mode CONNECT_TIMEOUT) to time out within 50 ms, but the client "
                            + "code gave up only after ")
                    .hasMessageMatching("(?s).* gave up only after (4\\d\\d(\\.\\d+)? ms|\\d+(\\.\\d+)? s), with "
                            + "java.net.SocketTimeoutException: .*: does the client set a timeout of its own, or wait "
                            + "for the operating system's\\?.*")
                    .hasCauseInstanceOf(SocketTimeoutException.class);
        }

        @Test
        void saysHowLongTheClientTookWhenItDidNotTimeOut(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());

            assertThatThrownBy(() -> assertConnectTimesOut(server, () -> ping(server, 2_000)))
                    .hasMessageMatching("(?s)Expected the client's connection to fake TCP server .* \\(mode ACCEPT\\) "
                            + "to time out while connecting, but the client code completed normally after "
                            + "\\d+(\\.\\d+)? (ms|s); 1 new connection: #1.*");
        }

        @Test
        void rejectsANonPositiveBound(@TcpServer FakeTcpServer server) {
            assertThatThrownBy(() -> assertConnectTimesOut(server, Duration.ofSeconds(-1), () -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("within must be positive, was PT-1S");
        }

        @Test
        void failsWhenTheConnectWasRefusedInstead(@TcpServer(mode = ConnectionMode.REFUSE) FakeTcpServer server) {
            assertThatThrownBy(() -> assertConnectTimesOut(server, () -> ping(server, 200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("Expected the client's connection to fake TCP server "
                            + server.authority() + " (mode REFUSE) to time out while connecting, but the client code "
                            + "failed after ")
                    .hasMessageContaining(" with java.net.ConnectException: Connection refused, and no exception in it "
                            + "(its causes and suppressed exceptions included) is a timeout")
                    .hasCauseInstanceOf(ConnectException.class);
        }
    }

    @Nested
    class AssertReadTimesOut {

        @Test
        void passesWhenTheClientConnectedAndThenTimedOut(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().stall());

            Throwable thrown = assertReadTimesOut(server, () -> ping(server, 200));

            assertThat(thrown).isInstanceOf(SocketTimeoutException.class);
            TcpAssertions.assertThat(server).hasConnectionCount(1);
        }

        @Test
        void countsAConnectionTheKernelCompletedBeforeTheServerAcceptedIt(@TcpServer FakeTcpServer server)
                throws Exception {
            server.enqueue(Script.create().stall());
            SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
            CompletableFuture<Void> connected = new CompletableFuture<>();
            CompletableFuture<Void> done = new CompletableFuture<>();

            // the client code times out as soon as its connect, made on another thread, returned: the server may
            // not have accepted the connection yet, and the assertion must count it all the same
            Throwable thrown = assertReadTimesOut(server, () -> {
                CompletableFuture.runAsync(() -> {
                    try (Socket socket = new Socket(server.host(), server.port())) {
                        connected.complete(null);
                        server.awaitUntil(() -> server.connectionCount() == 1, Duration.ofSeconds(5));
                    } catch (IOException e) {
                        connected.completeExceptionally(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }).whenComplete((result, error) -> done.complete(null));
                connected.get(5, TimeUnit.SECONDS);
                throw timeout;
            });

            assertThat(thrown).isSameAs(timeout);
            done.get(5, TimeUnit.SECONDS);
        }

        @Test
        void passesWithinABoundAndFailsBeyondIt(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().stall());
            server.enqueue(Script.create().stall());

            assertReadTimesOut(server, Duration.ofSeconds(3), () -> ping(server, 200));
            assertThatThrownBy(() -> assertReadTimesOut(server, Duration.ofMillis(50), () -> ping(server, 300)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(" and then time out waiting for it within 50 ms, but the client code gave "
                            + "up only after ")
                    .hasMessageContaining("with java.net.SocketTimeoutException: Read timed out");
        }

        @Test
        void failsWhenTheClientNeverConnected(@TcpServer(mode = ConnectionMode.CONNECT_TIMEOUT) FakeTcpServer server) {
            assertThatThrownBy(() -> assertReadTimesOut(server, () -> ping(server, 200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("(mode CONNECT_TIMEOUT) and then time out waiting for it, but it timed out "
                            + "without connecting after ")
                    .hasMessageContaining(": the server accepted no new connection, so this looks like a connect "
                            + "timeout");
        }

        @Test
        void failsWhenTheClientGotAnAnswer(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());

            assertThatThrownBy(() -> assertReadTimesOut(server, () -> ping(server, 2_000)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("and then time out waiting for it, but the client code completed normally "
                            + "after ")
                    .hasMessageContaining("; 1 new connection: #1")
                    // recorded before the server answered; the answer itself may be recorded a moment later
                    .hasMessageContaining("client> \"PING\\r\\n\"");
        }
    }

    @Nested
    class AssertClientClosed {

        @Test
        void passesWhenTheClientClosedItsSocket(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));

            RecordedConnection connection = assertConnects(server, () -> ping(server, 2_000));

            assertClientClosed(connection);
        }

        @Test
        void failsWhenTheClientKeepsItsSocketOpen(@TcpServer FakeTcpServer server) throws IOException {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
            try (Socket leaked = new Socket(server.host(), server.port())) {
                leaked.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.UTF_8));
                RecordedConnection connection = server.takeConnection(Duration.ofSeconds(2));

                assertThatThrownBy(() -> assertClientClosed(connection, SHORT))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageStartingWith("Expected the client to close connection #1 from 127.0.0.1:"
                                + leaked.getLocalPort() + " within 200 ms, but it is still open: the client leaks its "
                                + "socket or closes it too late")
                        .hasMessageContaining("Transcript:");
            }
        }

        @Test
        void failsWhenTheServerClosedFirst(@TcpServer FakeTcpServer server) {
            server.enqueue(Script.create().expectLine("PING").sendLine("PONG").close());

            RecordedConnection connection = assertConnects(server, () -> ping(server, 2_000));

            assertThatThrownBy(() -> assertClientClosed(connection))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but the server closed it first, so whether the client closes its socket "
                            + "cannot be told")
                    .hasMessageContaining("server closed the connection");
        }
    }
}
