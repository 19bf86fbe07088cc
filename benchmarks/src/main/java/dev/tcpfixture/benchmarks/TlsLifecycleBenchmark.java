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
 * What a test pays for a TLS server: start it, connect, complete a handshake, one exchange, close the client
 * (close_notify), close the server. Certificates are made once per JVM, outside what is timed, for both servers.
 * MockWebServer runs twice: with TCP_NODELAY on its accepted sockets as the fake has it (the comparison of the
 * servers), and as shipped (what a test with a client like this one pays: two delayed acknowledgements).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TlsLifecycleBenchmark {

    @Param({"fake-tls", "mockwebserver-tls-nodelay", "mockwebserver-tls"})
    public String server;

    private ServerKind kind;

    @Setup
    public void setUp() {
        kind = ServerKind.byId(server);
    }

    @Benchmark
    public void startHandshakeRoundtripClose() throws Exception {
        try (BenchServer running = kind.startForOneExchange()) {
            Client.tlsRoundtrip(kind.protocol(), running.address(), TlsMaterial.CLIENT);
        }
    }

    /** After the last server: nothing of any server may still run. */
    @TearDown(Level.Trial)
    public void checkNothingLeft() {
        kind.checkNoServerThreadsLeft();
    }
}
