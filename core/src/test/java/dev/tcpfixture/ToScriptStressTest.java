package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RecordedConnection#toScript()} on a connection that is still talking, with busy threads loading both
 * cores: every call sees a consistent record (never a truncation that is not there), and the script of the
 * finished conversation is exact.
 */
@Timeout(120)
class ToScriptStressTest {

    private static final int ROUNDS = 100;
    private static final int LINES = 20;
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void toScriptOfALiveConnectionIsAlwaysConsistent() throws Exception {
        StringBuilder expected = new StringBuilder("# tcpfixture script: one step per line (see Script.parse)\n");
        for (int i = 0; i < LINES; i++) {
            expected.append("client> line \"line ").append(i).append("\"\n")
                    .append("server> line \"line ").append(i).append("\"\n");
        }
        ExecutorService clients = Executors.newSingleThreadExecutor();
        try (BusyLoad load = BusyLoad.start(2); FakeTcpServer server = FakeTcpServer.start()) {
            server.defaultScript(Script.create().echo());
            long calls = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Future<?> client = clients.submit(() -> {
                    try (TestClient talker = TestClient.connect(server)) {
                        for (int i = 0; i < LINES; i++) {
                            talker.send("line " + i + "\r\n");
                            assertThat(talker.readLine()).isEqualTo("line " + i);
                        }
                    }
                    return null;
                });
                RecordedConnection connection = server.takeConnection(WAIT);
                while (!client.isDone()) {
                    assertThat(connection.toScript().describeSteps().size()).isLessThanOrEqualTo(2 * LINES);
                    calls++;
                }
                client.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(connection.awaitClosed(WAIT)).isTrue();
                assertThat(connection.toScript().format()).isEqualTo(expected.toString());
            }
            server.verify();
            assertThat(calls).isPositive();
        } finally {
            clients.shutdownNow();
            assertThat(clients.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }
}
