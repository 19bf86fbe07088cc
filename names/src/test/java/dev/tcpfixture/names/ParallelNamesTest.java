package dev.tcpfixture.names;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.Script;
import dev.tcpfixture.junit.FakeHost;
import dev.tcpfixture.junit.TcpServer;
import dev.tcpfixture.junit.UnknownHost;
import dev.tcpfixture.names.TestKit.UserTests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** 1,000 tests in parallel faking names through the annotations leave no fake, counter or server thread behind. */
class ParallelNamesTest {

    static final AtomicInteger RUNNING = new AtomicInteger();
    static final AtomicInteger PEAK = new AtomicInteger();

    static void enter() {
        PEAK.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    }

    @UserTests
    static class Fakers {

        @RepeatedTest(500)
        @FakeHost(name = "data.pr4e.org")
        void fetchesByName(@TcpServer FakeTcpServer server) throws IOException {
            enter();
            try {
                server.enqueue(Script.create().expectLine("PING").sendLine("PONG"));
                assertThat(FakeHostAnnotationTest.ping("data.pr4e.org", server.port())).isEqualTo("PONG");
                assertThat(FakeHosts.lookupCount("data.pr4e.org")).isPositive();
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    @UserTests
    static class Unknowns {

        @RepeatedTest(500)
        @UnknownHost("db.internal")
        void failsToResolve() {
            enter();
            try {
                assertThatThrownBy(() -> InetAddress.getByName("db.internal"))
                        .isInstanceOf(UnknownHostException.class);
            } finally {
                RUNNING.decrementAndGet();
            }
        }
    }

    @Test
    void aThousandParallelTestsLeaveNothingBehind() {
        EngineExecutionResults results = TestKit.run(TestKit.parallel(8), Fakers.class, Unknowns.class);

        results.testEvents().assertStatistics(stats -> stats.started(1_000).succeeded(1_000));
        assertThat(FakeHosts.fakedNames()).isEmpty();
        assertThat(FakeHosts.lookupCount("data.pr4e.org")).isZero();
        assertThat(FakeHosts.lookupCount("db.internal")).isZero();
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("tcpfixture-"))).isEmpty();
        System.out.println("ParallelNamesTest: 1,000 tests, peak " + PEAK.get() + " at once, 8 threads");
    }
}
