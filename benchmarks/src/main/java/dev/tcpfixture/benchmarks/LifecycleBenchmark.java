package dev.tcpfixture.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a test pays for its server: start it, make one connection with one exchange, close the client, close
 * the server. Iteration and fork settings come from {@link BenchmarkMain}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LifecycleBenchmark {

    @Param({"fake", "raw", "mockwebserver"})
    public String server;

    private ServerKind kind;

    @Setup
    public void setUp() {
        kind = ServerKind.byId(server);
    }

    @Benchmark
    public void startRoundtripClose() throws Exception {
        try (BenchServer running = kind.startForOneExchange()) {
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
