package dev.tcpfixture.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Short connections one after another on one server: each connects, makes one exchange and closes. Every
 * invocation gets a fresh server (started and closed outside the measured time) and makes exactly
 * {@link #CONNECTIONS} connections, so that every server is measured over the same number of connections; the
 * score is connections per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SequentialConnectionsBenchmark {

    /** Connections per server. */
    public static final int CONNECTIONS = 2_000;

    @Param({"fake", "raw", "raw-pooled", "mockwebserver"})
    public String server;

    private ServerKind kind;
    private BenchServer running;

    @Setup(Level.Trial)
    public void chooseServer() {
        kind = ServerKind.byId(server);
    }

    @Setup(Level.Invocation)
    public void startServer() {
        running = kind.startServing();
    }

    @TearDown(Level.Invocation)
    public void closeServer() {
        BenchServer closing = running;
        running = null;
        closing.close();
    }

    @Benchmark
    @OperationsPerInvocation(CONNECTIONS)
    public void connections() throws Exception {
        for (int i = 0; i < CONNECTIONS; i++) {
            Client.roundtrip(kind.protocol(), running.address());
        }
    }

    /** After the last server: nothing of any server may still run. */
    @TearDown(Level.Trial)
    public void checkNothingLeft() {
        kind.checkNoServerThreadsLeft();
        if (kind == ServerKind.FAKE) {
            System.out.println(System.lineSeparator() + ServerKind.fakeCloseReport());
        }
    }
}
