package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AwaitTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final FakeTcpServer server = FakeTcpServer.start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    @Test
    void serverAwaitWakesOnNewConnections() throws Exception {
        try (TestClient first = TestClient.connect(server); TestClient second = TestClient.connect(server)) {
            assertThat(server.awaitUntil(() -> server.connectionCount() == 2, WAIT)).isTrue();
        }
    }

    @Test
    void connectionAwaitWakesOnReceivedBytes() throws Exception {
        try (TestClient client = TestClient.connect(server)) {
            RecordedConnection connection = server.takeConnection(WAIT);
            client.send("one\n");
            client.send("two\n");
            assertThat(connection.awaitUntil(() -> connection.receivedLines().size() == 2, WAIT)).isTrue();
            assertThat(connection.receivedLines()).containsExactly("one", "two");
        }
    }

    @Test
    void awaitReturnsFalseWhenTheConditionNeverHolds() throws Exception {
        long start = System.nanoTime();

        assertThat(server.awaitUntil(() -> server.connectionCount() > 0, Duration.ofMillis(100))).isFalse();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void awaitReturnsAtOnceWhenTheConditionAlreadyHolds() throws Exception {
        assertThat(server.awaitUntil(() -> true, Duration.ofMillis(1))).isTrue();
    }
}
