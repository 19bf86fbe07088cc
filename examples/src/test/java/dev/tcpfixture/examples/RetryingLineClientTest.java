package dev.tcpfixture.examples;

import static dev.tcpfixture.junit.TcpAssertions.assertClientClosed;
import static dev.tcpfixture.junit.TcpAssertions.assertClientFails;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.ConnectionMode;
import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.examples.RetryingLineClient.RetriesExhaustedException;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.io.EOFException;
import java.net.ConnectException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client with connect and read timeouts and retries with backoff, against every fault the fake server
 * can make: each test proves the client copes, and that it closes every socket it opened.
 */
@WithTcpServer
class RetryingLineClientTest {

    private static final Script ANSWER = Script.create().expectLine("PING").sendLine("OK PONG").close();

    private final List<Duration> pauses = new CopyOnWriteArrayList<>();
    private RetryingLineClient client;

    @BeforeEach
    void createClient(@TcpServer FakeTcpServer server) {
        RetryingLineClient.Settings settings = RetryingLineClient.Settings.defaults()
                .withTimeouts(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(600));
        // record the backoff instead of sleeping: the test runs fast and checks the schedule
        client = new RetryingLineClient(server.address(), settings, pauses::add);
    }

    private static void assertEveryConnectionClosedByClient(FakeTcpServer server) {
        for (RecordedConnection connection : server.connections()) {
            assertClientClosed(connection);
        }
    }

    @Test
    void answersAtTheFirstAttempt(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(ANSWER);

        assertThat(client.request("PING")).isEqualTo("PONG");

        assertThat(pauses).isEmpty();
        assertThat(server).hasConnectionCount(1);
        assertThat(server.takeConnection()).receivedLinesExactly("PING");
    }

    @Test
    void retriesARefusedConnectionWithGrowingBackoff(@TcpServer FakeTcpServer server) {
        server.mode(ConnectionMode.REFUSE);

        RetriesExhaustedException failure = assertClientFails(RetriesExhaustedException.class,
                () -> client.request("PING"));

        assertThat(failure.getSuppressed()).hasSize(3).allSatisfy(attempt ->
                assertThat(attempt).isInstanceOf(ConnectException.class));
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(server).hasNoConnections();
    }

    @Test
    void succeedsOnceTheServerAcceptsAgain(@TcpServer FakeTcpServer server) throws Exception {
        server.mode(ConnectionMode.REFUSE);
        server.enqueue(ANSWER);
        RetryingLineClient patient = new RetryingLineClient(server.address(), RetryingLineClient.Settings.defaults(),
                pause -> server.mode(ConnectionMode.ACCEPT)); // the server comes back during the first backoff

        assertThat(patient.request("PING")).isEqualTo("PONG");
        assertThat(server).hasConnectionCount(1);
    }

    @Test
    void retriesConnectsThatTimeOut(@TcpServer FakeTcpServer server) {
        server.mode(ConnectionMode.CONNECT_TIMEOUT);

        RetriesExhaustedException failure = assertClientFails(RetriesExhaustedException.class,
                () -> client.request("PING"));

        assertThat(failure.getSuppressed()).hasSize(3).allSatisfy(attempt ->
                assertThat(attempt).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("Connect timed out"));
        assertThat(server).hasNoConnections();
    }

    @Test
    void retriesAStalledServerAndClosesEachSocket(@TcpServer FakeTcpServer server) {
        server.defaultScript(Script.create().expectLine("PING").stall());

        RetriesExhaustedException failure = assertClientFails(RetriesExhaustedException.class,
                () -> client.request("PING"));

        assertThat(failure.getSuppressed()).hasSize(3).allSatisfy(attempt ->
                assertThat(attempt).isInstanceOf(SocketTimeoutException.class).hasMessageContaining("read timed out"));
        assertThat(server).hasConnectionCount(3);
        assertEveryConnectionClosedByClient(server);
    }

    @Test
    void retriesAfterAResetAndThenSucceeds(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create().expectLine("PING").reset()).enqueue(ANSWER);

        assertThat(client.request("PING")).isEqualTo("PONG");

        assertThat(pauses).containsExactly(Duration.ofMillis(50));
        assertThat(server).hasConnectionCount(2);
    }

    @Test
    void retriesWhenEveryConnectionIsResetAtOnce(@TcpServer FakeTcpServer server) {
        server.mode(ConnectionMode.ACCEPT_THEN_RESET);

        RetriesExhaustedException failure = assertClientFails(RetriesExhaustedException.class,
                () -> client.request("PING"));

        assertThat(failure.getSuppressed()).hasSize(3).allSatisfy(attempt ->
                assertThat(attempt).isInstanceOf(SocketException.class));
        assertThat(server).hasConnectionCount(3);
    }

    @Test
    void retriesAnAnswerCutShort(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create().expectLine("PING").closeAfterSending(4).sendLine("OK PONG"))
                .enqueue(ANSWER);

        assertThat(client.request("PING")).isEqualTo("PONG");

        assertThat(server).hasConnectionCount(2);
        assertThat(server.takeConnection()).sentText("OK P").wasClosedByServer();
    }

    @Test
    void givesUpOnASlowDripPastItsResponseDeadline(@TcpServer FakeTcpServer server) {
        // every byte comes well within the read timeout, but the whole line takes longer than the deadline
        server.defaultScript(Script.create().expectLine("PING").drip(1, Duration.ofMillis(100)).sendLine("OK PONG"));

        RetriesExhaustedException failure = assertClientFails(RetriesExhaustedException.class,
                () -> client.request("PING"));

        assertThat(failure.getSuppressed()).hasSize(3).allSatisfy(attempt ->
                assertThat(attempt).hasMessageContaining("no complete response within 600 ms"));
        assertEveryConnectionClosedByClient(server);
    }

    @Test
    void acceptsASlowDripWithinItsDeadline(@TcpServer FakeTcpServer server) throws Exception {
        server.enqueue(Script.create().expectLine("PING").drip(2, Duration.ofMillis(20)).sendLine("OK PONG").close());

        assertThat(client.request("PING")).isEqualTo("PONG");
    }

    @Test
    void doesNotRetryGarbage(@TcpServer FakeTcpServer server) {
        server.defaultScript(Script.create().expectLine("PING").sendRandomBytes(100, 1).sendLine(""));

        ProtocolException failure = assertClientFails(ProtocolException.class, () -> client.request("PING"));

        assertThat(failure).hasMessageStartingWith("malformed response");
        assertThat(server).hasConnectionCount(1);
        assertEveryConnectionClosedByClient(server);
    }

    @Test
    void doesNotRetryAWrongAnswer(@TcpServer FakeTcpServer server) {
        server.enqueue(Script.create().expectLine("PING").sendLine("ERR busy").close());

        assertClientFails(ProtocolException.class, () -> client.request("PING"));
        assertThat(server).hasConnectionCount(1);
    }

    @Test
    void treatsAnEarlyHangUpAsRetryable(@TcpServer FakeTcpServer server) {
        server.defaultScript(Script.create().expectLine("PING").close());

        RetriesExhaustedException failure = assertClientFails(RetriesExhaustedException.class,
                () -> client.request("PING"));

        assertThat(failure.getSuppressed()).hasSize(3)
                .allSatisfy(attempt -> assertThat(attempt).isInstanceOf(EOFException.class));
    }
}
