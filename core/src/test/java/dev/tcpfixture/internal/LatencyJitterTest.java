package dev.tcpfixture.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tcpfixture.FakeTcpServer;
import dev.tcpfixture.ProxyFault;
import dev.tcpfixture.ProxyFault.Direction;
import dev.tcpfixture.Script;
import dev.tcpfixture.TcpProxy;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A chunk's jitter is drawn once: changing other faults while it waits neither shortens nor lengthens its wait. */
class LatencyJitterTest {

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aChunksJitteredLatencyIsDrawnOnceWhateverChangesWhileItWaits() throws Exception {
        // a seed whose first draw for connection #1 is near the top of 400 ms +- 350 ms: a draw made again while
        // the chunk waits would almost surely be shorter, and let it go early
        ProxyFault latency = null;
        long drawn = 0;
        for (long seed = 0; drawn < 700_000_000L; seed++) {
            latency = ProxyFault.latency(Duration.ofMillis(400)).jitter(Duration.ofMillis(350)).seed(seed);
            drawn = FaultEffects.create(latency, 1).chunkDelayNanos();
        }
        ProxyFault other = ProxyFault.slice(1_000, Duration.ZERO).direction(Direction.TO_UPSTREAM);
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().sendLine("hello"));
            proxy.add(latency);
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(proxy.address(), 2_000);
                socket.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                Future<String> line = reader.submit(in::readLine);
                int changes = 0;
                while (!line.isDone()) { // the faults change all the while the greeting waits
                    if (changes % 2 == 0) {
                        proxy.add(other);
                    } else {
                        proxy.remove(other);
                    }
                    changes++;
                    Thread.yield();
                }
                assertThat(line.get()).isEqualTo("hello");
                long waited = System.nanoTime() - start;
                assertThat(waited).as("nanoseconds to the greeting, %d changes of the faults meanwhile", changes)
                        .isGreaterThanOrEqualTo(drawn);
                assertThat(changes).isGreaterThan(1);
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
            upstream.verify();
        } finally {
            reader.shutdownNow();
            assertThat(reader.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
