package dev.tcpfixture.reliability;

import static dev.tcpfixture.junit.TcpAssertions.assertConnects;
import static dev.tcpfixture.junit.TcpAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.RecordedConnection;
import dev.tcpfixture.Script;
import dev.tcpfixture.examples.SmtpLikeClient;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.WithTcpServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * 200 tests run in parallel, each with a server of its own: no port is shared by two live servers, and
 * every test sees only its own connection.
 */
@WithTcpServer
@Execution(ExecutionMode.CONCURRENT)
class ParallelServersTest {

    private static final Set<Integer> LIVE_PORTS = ConcurrentHashMap.newKeySet();
    private static final Set<Integer> ALL_PORTS = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();
    private static final AtomicInteger DONE = new AtomicInteger();

    @RepeatedTest(200)
    void eachTestHasItsOwnServer(@TcpServer FakeTcpServer server) {
        int port = server.port();
        assertThat(LIVE_PORTS.add(port)).as("port %d is already used by another live server", port).isTrue();
        ALL_PORTS.add(port);
        PEAK.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        try {
            String name = "client-" + port + ".test";
            server.enqueue(Script.create()
                    .sendLine("220 server-" + port)
                    .expectLine("HELO " + name)
                    .sendLine("250 ok")
                    .expectLine("QUIT")
                    .sendLine("221 bye")
                    .close());
            SmtpLikeClient.Session[] session = new SmtpLikeClient.Session[1];

            RecordedConnection connection = assertConnects(server,
                    () -> session[0] = new SmtpLikeClient(server.host(), port, 5_000).hello(name));

            assertThat(session[0].greeting()).isEqualTo("220 server-" + port);
            assertThat(connection).receivedLinesExactly("HELO " + name, "QUIT");
            assertThat(server).hasConnectionCount(1);
            DONE.incrementAndGet();
        } finally {
            RUNNING.decrementAndGet();
            LIVE_PORTS.remove(port);
        }
    }

    @AfterAll
    static void ranInParallel() {
        System.out.printf("parallel servers: %d tests passed, peak %d at once, %d distinct ports%n", DONE.get(),
                PEAK.get(), ALL_PORTS.size());
        assertThat(DONE.get()).isEqualTo(200);
        assertThat(PEAK.get()).as("tests running at the same time").isGreaterThan(1);
    }
}
