package dev.tcpfixture.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.TestKit.UserTests;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Many tests at once, each with its own server, beside one shared per-class server.
 */
class ParallelTest {

    static final int REPETITIONS = 80;
    static final int NESTED_REPETITIONS = 20;

    static final Set<Integer> openPorts = ConcurrentHashMap.newKeySet();
    static final List<String> clashes = new CopyOnWriteArrayList<>();
    static final List<FakeTcpServer> servers = new CopyOnWriteArrayList<>();
    static final Set<String> threads = ConcurrentHashMap.newKeySet();
    static final AtomicBoolean overlapped = new AtomicBoolean();
    static final AtomicInteger running = new AtomicInteger();
    static final AtomicInteger maxRunning = new AtomicInteger();
    static volatile CountDownLatch twoAtOnce = new CountDownLatch(2);

    /** One test's conversation with its own server and the shared one; checks that no open server shares its port. */
    static void converse(FakeTcpServer own, FakeTcpServer shared, String id) throws Exception {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        threads.add(Thread.currentThread().getName());
        servers.add(own);
        boolean portAdded = openPorts.add(own.port());
        try {
            if (!portAdded) {
                clashes.add(id + " got port " + own.port() + ", which an open server holds");
            }
            // proves that tests really overlap: the first two wait for each other (bounded)
            twoAtOnce.countDown();
            if (twoAtOnce.await(10, TimeUnit.SECONDS)) {
                overlapped.set(true);
            }
            own.enqueue(Script.create().expectLine("PING " + id).sendLine("PONG " + id).close());
            assertThat(TestKit.converse(own.address(), "PING " + id)).containsExactly("PONG " + id);
            assertThat(TestKit.converse(shared.address(), "HI " + id)).containsExactly("ECHO HI " + id);
        } finally {
            // only the test that added the port removes it, even if it failed: no later test sees a false clash
            if (portAdded) {
                openPorts.remove(own.port());
            }
            running.decrementAndGet();
        }
    }

    @UserTests
    @WithTcpServer
    static class ManyServers {

        @TcpServer
        static FakeTcpServer shared;

        @TcpServer
        FakeTcpServer own;

        @BeforeAll
        static void answerEveryLine() {
            shared.defaultScript(Script.create().answerLines(line -> "ECHO " + line));
        }

        @RepeatedTest(REPETITIONS)
        void talk(@TcpServer FakeTcpServer server, RepetitionInfo repetition) throws Exception {
            assertThat(server).isSameAs(own);
            converse(server, shared, "outer-" + repetition.getCurrentRepetition());
        }

        @Nested
        class Inner {

            @RepeatedTest(NESTED_REPETITIONS)
            void talk(@TcpServer FakeTcpServer server, RepetitionInfo repetition) throws Exception {
                converse(server, shared, "inner-" + repetition.getCurrentRepetition());
            }

            @Test
            void aNamedServerIsNeitherTheSharedNorTheDefaultOne(@TcpServer("unrelated") FakeTcpServer server) {
                assertThat(server).isNotSameAs(shared).isNotSameAs(own);
            }
        }
    }

    @Test
    void aHundredConcurrentTestsEachGetTheirOwnServerWithoutPortClashesAndLeaveNoThreads() {
        openPorts.clear();
        clashes.clear();
        servers.clear();
        threads.clear();
        overlapped.set(false);
        maxRunning.set(0);
        twoAtOnce = new CountDownLatch(2);

        EngineExecutionResults results = TestKit.run(Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"), ManyServers.class);

        int tests = REPETITIONS + NESTED_REPETITIONS + 1;
        results.testEvents().assertStatistics(stats -> stats.started(tests).succeeded(tests).failed(0));
        results.containerEvents().assertStatistics(stats -> stats.failed(0));
        assertThat(clashes).isEmpty();
        assertThat(overlapped).as("at least two tests ran at the same time").isTrue();
        assertThat(maxRunning.get()).isGreaterThanOrEqualTo(2);
        assertThat(threads).as("worker threads").hasSizeGreaterThanOrEqualTo(2);
        assertThat(servers).hasSize(REPETITIONS + NESTED_REPETITIONS).doesNotHaveDuplicates()
                .allSatisfy(server -> assertThat(server.isClosed()).isTrue());
        assertThat(ManyServers.shared.isClosed()).isTrue();
        assertThat(ManyServers.shared.connectionCount()).isEqualTo(REPETITIONS + NESTED_REPETITIONS);
        assertThat(TestKit.liveServerThreads()).isEmpty();
    }
}
