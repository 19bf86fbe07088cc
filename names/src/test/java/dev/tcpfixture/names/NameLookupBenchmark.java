package dev.tcpfixture.names;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a lookup costs through {@link InetAddress}, with this module's resolver installed: a faked name (answered
 * from the table), a faked name that does not exist (the {@link UnknownHostException} included), and an unfaked
 * name, {@code localhost}, which the resolver hands to the JDK's built-in one (the JDK's cache is off with the
 * module, so each lookup resolves). Run on names.jdk: {@code ./mvnw -B -q -pl names -am -Pnames-benchmark
 * -DskipTests test} (docs/PERFORMANCE.md, "Host names").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class NameLookupBenchmark {

    static final String FAKED = "data.pr4e.org";
    static final String UNKNOWN = "db.internal";

    private FakeHosts.Registration registration;

    @Setup
    public void fake() {
        registration = FakeHosts.register(
                FakeName.resolving(FAKED, InetAddress.getLoopbackAddress()),
                FakeName.unknown(UNKNOWN));
    }

    @TearDown
    public void end() {
        registration.close();
    }

    @Benchmark
    public InetAddress[] fakedName() throws UnknownHostException {
        return InetAddress.getAllByName(FAKED);
    }

    @Benchmark
    public Object fakedUnknownName() {
        try {
            return InetAddress.getAllByName(UNKNOWN);
        } catch (UnknownHostException e) {
            return e;
        }
    }

    @Benchmark
    public InetAddress[] unfakedLocalhost() throws UnknownHostException {
        return InetAddress.getAllByName("localhost");
    }
}
