package dev.tcpfixture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpfixture.ProxyFault.Direction;
import dev.tcpfixture.TranscriptEvent.Kind;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each fault with real sockets, as the client sees it. Timings are asserted only as lower bounds that the fault
 * itself guarantees.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyFaultTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static Script pingPong(int rounds) {
        Script script = Script.create();
        for (int i = 0; i < rounds; i++) {
            script = script.expectLine("PING").sendLine("PONG");
        }
        return script;
    }

    @Test
    void latencyDelaysEachAnswerByAtLeastTheLatencyAndTakesEffectOnAnOpenConnection() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(pingPong(3));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");

                ProxyFault latency = ProxyFault.latency(Duration.ofMillis(200)).jitter(Duration.ofMillis(50)).seed(7);
                proxy.add(latency);
                long start = System.nanoTime();
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(150);

                proxy.remove(latency);
                proxy.add(ProxyFault.latency(Duration.ofMillis(200)).direction(Direction.TO_UPSTREAM));
                start = System.nanoTime();
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(200);
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.transcript()).contains("fault on: latency 200 ms \u00b1 50 ms (to client)")
                    .contains("fault off: latency 200 ms \u00b1 50 ms (to client)");
            proxy.verify();
            upstream.verify();
        }
    }

    @Test
    void bandwidthLimitsTheRate() throws Exception {
        byte[] payload = new byte[20_000];
        Arrays.fill(payload, (byte) 'x');
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().send(payload).close());
            proxy.add(ProxyFault.bandwidth(50_000));
            long start = System.nanoTime();
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                assertThat(client.readAll()).isEqualTo(payload);
            }
            // the first piece (1,000 bytes) goes at once, the other 19,000 at 50,000 bytes/s
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(380);
            proxy.verify();
        }
    }

    @Test
    void sliceMakesTheClientsReadsReturnSmallPieces() throws Exception {
        String reply = "0123456789".repeat(10);
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().send(reply).close());
            proxy.add(ProxyFault.slice(10, Duration.ofMillis(20)));
            long start = System.nanoTime();
            List<Integer> reads = new ArrayList<>();
            StringBuilder got = new StringBuilder();
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                byte[] piece;
                while ((piece = client.readOnce(1_000)).length > 0) {
                    reads.add(piece.length);
                    got.append(new String(piece, StandardCharsets.US_ASCII));
                }
            }
            assertThat(got.toString()).isEqualTo(reply);
            assertThat(reads).allMatch(size -> size <= 10).hasSizeGreaterThanOrEqualTo(10);
            assertThat(millisSince(start)).isGreaterThanOrEqualTo(9 * 20);
            proxy.verify();
        }
    }

    @Test
    void stallMakesTheClientsReadTimeOutAndRemovingItForwardsWhatWasHeld() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(pingPong(2));
            ProxyFault stall = ProxyFault.stall();
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 300)) {
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");
                proxy.add(stall);
                client.send("PING\n");
                assertThatThrownBy(client::readLine).isInstanceOf(SocketTimeoutException.class);
                proxy.remove(stall);
                client.socket().setSoTimeout(5_000);
                assertThat(client.readLine()).isEqualTo("PONG");
            }
            proxy.verify();
            upstream.verify();
        }
    }

    @Test
    void stallTowardTheUpstreamHoldsTheRequestButRecordsIt() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(pingPong(1));
            proxy.add(ProxyFault.stall().direction(Direction.TO_UPSTREAM));
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 300)) {
                client.send("PING\n");
                assertThatThrownBy(client::readLine).isInstanceOf(SocketTimeoutException.class);
                assertThat(proxy.awaitQuiet()).isTrue();
                assertThat(proxy.connections().get(0).receivedText()).isEqualTo("PING\n");
                assertThat(upstream.awaitQuiet()).isTrue();
                assertThat(upstream.takeConnection(WAIT).receivedByteCount()).isZero();
                proxy.clearFaults();
                client.socket().setSoTimeout(5_000);
                assertThat(client.readLine()).isEqualTo("PONG");
            }
            proxy.verify();
            upstream.verify();
        }
    }

    @Test
    void closeAfterForwardsExactlyThatManyBytesThenEndOfStream() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.builder().allowUnusedScripts().start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.defaultScript(Script.create().expectLine("GET").sendLine("0123456789"));
            proxy.add(ProxyFault.closeAfter(5));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("GET\n");
                assertThat(new String(client.readAll(), StandardCharsets.US_ASCII)).isEqualTo("01234");
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.sentText()).isEqualTo("01234");
            assertThat(connection.events().stream().filter(e -> e.kind() == Kind.SERVER_CLOSED).findFirst())
                    .hasValueSatisfying(e -> assertThat(e.detail()).contains("fault: close after 5 bytes"));

            proxy.clearFaults();
            proxy.add(ProxyFault.closeAfter(3).direction(Direction.TO_UPSTREAM));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("GET\n");
                assertThat(client.readAll()).isEmpty(); // the upstream got "GET" without its line end
            }
            proxy.verify();
        }
    }

    @Test
    void resetAfterForwardsThatManyBytesThenResets() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.builder().allowUnusedScripts().start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.defaultScript(Script.create().expectLine("GET").sendLine("0123456789"));
            proxy.add(ProxyFault.resetAfter(5));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("GET\n");
                assertThatThrownBy(() -> client.readBytes(100)).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.sentText()).isEqualTo("01234");
            assertThat(connection.events()).anyMatch(e -> e.kind() == Kind.SERVER_RESET);
            proxy.verify();
        }
    }

    @Test
    void resetNowResetsAnOpenConnectionAtOnceAndANewOneAtItsFirstBytes() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.builder().allowUnusedScripts().start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.defaultScript(pingPong(1));
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                client.send("PING\n");
                assertThat(client.readLine()).isEqualTo("PONG");
                proxy.add(ProxyFault.resetNow());
                assertThatThrownBy(client::read).isInstanceOf(SocketException.class)
                        .hasMessageContaining("Connection reset");
            }
            for (int i = 0; i < 20; i++) {
                try (ProxyClient client = ProxyClient.connect(proxy)) { // timed connect: never fails
                    client.send("PING\n");
                    assertThatThrownBy(client::read).isInstanceOf(SocketException.class)
                            .hasMessageContaining("Connection reset");
                }
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            assertThat(proxy.connections()).hasSize(21).allSatisfy(connection -> {
                assertThat(connection.awaitClosed(WAIT)).isTrue();
                assertThat(connection.events()).anyMatch(e -> e.kind() == Kind.SERVER_RESET
                        && e.detail().contains("reset now"));
            });
            proxy.verify();
        }
    }

    @Test
    void slowCloseDelaysTheEndOfStream() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().sendLine("bye").close());
            proxy.add(ProxyFault.slowClose(Duration.ofMillis(300)));
            long start = System.nanoTime(); // the upstream's FIN comes after the connect, the client's end 300 ms later
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                assertThat(client.readLine()).isEqualTo("bye");
                assertThat(client.read()).isEqualTo(-1);
                assertThat(millisSince(start)).isGreaterThanOrEqualTo(300);
            }
            proxy.verify();
        }
    }

    @Test
    void removingAFaultReleasesWhatItHoldsAtOnce() throws Exception {
        // each fault would hold the bytes or the end for 30 s; the client's reads give up after 10 s (a hang guard)
        byte[] reply = "0123456789".getBytes(StandardCharsets.US_ASCII);
        List<ProxyFault> holding = List.of(ProxyFault.latency(Duration.ofSeconds(30)),
                ProxyFault.latency(Duration.ofSeconds(30)).direction(Direction.TO_UPSTREAM),
                ProxyFault.bandwidth(1), ProxyFault.slice(1, Duration.ofSeconds(30)),
                ProxyFault.slice(1, Duration.ofSeconds(30)).direction(Direction.TO_UPSTREAM));
        try (FakeTcpServer upstream = FakeTcpServer.builder().allowUnusedScripts().start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.defaultScript(Script.create().echo());
            for (ProxyFault fault : holding) {
                proxy.add(fault);
                try (ProxyClient client = ProxyClient.connect(proxy.address(), 10_000)) {
                    client.send(reply);
                    RecordedConnection connection = proxy.takeConnection(WAIT);
                    assertThat(connection.awaitUntil(() -> connection.receivedByteCount() == reply.length, WAIT))
                            .isTrue();
                    if (fault.kind() == ProxyFault.Kind.LATENCY) {
                        assertThat(upstream.awaitQuiet()).isTrue();
                        assertThat(proxy.awaitQuiet()).isTrue(); // a pipe holds the bytes
                    } else {
                        assertThat(client.read()).as("the first piece, before the wait").isEqualTo('0');
                    }
                    proxy.remove(fault);
                    byte[] rest = client.readBytes(fault.kind() == ProxyFault.Kind.LATENCY ? 10 : 9);
                    assertThat(new String(rest, StandardCharsets.US_ASCII)).as("what %s held", fault)
                            .isEqualTo(fault.kind() == ProxyFault.Kind.LATENCY ? "0123456789" : "123456789");
                }
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
        }
        try (FakeTcpServer upstream = FakeTcpServer.start(); TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().sendLine("bye").close());
            proxy.add(ProxyFault.slowClose(Duration.ofSeconds(30)));
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 10_000)) {
                assertThat(client.readLine()).isEqualTo("bye");
                assertThat(upstream.takeConnection(WAIT).awaitClosed(WAIT)).isTrue(); // its end is on the way
                proxy.clearFaults();
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
        }
    }

    @Test
    void aStallAddedDuringASlowCloseHoldsTheEndUntilRemoved() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(Script.create().sendLine("bye").close());
            proxy.add(ProxyFault.slowClose(Duration.ofMillis(200)));
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 1_000)) {
                assertThat(client.readLine()).isEqualTo("bye");
                assertThat(upstream.takeConnection(WAIT).awaitClosed(WAIT)).isTrue(); // its end is on the way
                proxy.add(ProxyFault.stall());
                // the slow close is over after 200 ms, but nothing goes through while the stall is on
                assertThatThrownBy(client::read).isInstanceOf(SocketTimeoutException.class);
                proxy.remove(ProxyFault.stall());
                client.socket().setSoTimeout(5_000);
                assertThat(client.read()).isEqualTo(-1);
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
        }
    }

    @Test
    void aFaultRemovedAndAddedAgainStartsAfreshOnAnOpenConnection() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.builder().allowUnusedScripts().start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.defaultScript(Script.create().echo());
            ProxyFault limit = ProxyFault.closeAfter(10).direction(Direction.TO_UPSTREAM);
            proxy.add(limit);
            try (ProxyClient client = ProxyClient.connect(proxy)) {
                for (int round = 0; round < 20; round++) {
                    // 6 bytes under a fresh limit of 10 each time: the new fault counts from zero
                    String request = "req" + (char) ('a' + round) + "\r\n";
                    client.send(request);
                    assertThat(new String(client.readBytes(request.length()), StandardCharsets.US_ASCII))
                            .as("round %d", round).isEqualTo(request);
                    proxy.remove(limit);
                    proxy.add(ProxyFault.closeAfter(10).direction(Direction.TO_UPSTREAM));
                }
            }
            RecordedConnection connection = proxy.takeConnection(WAIT);
            assertThat(connection.awaitClosed(WAIT)).isTrue();
            assertThat(connection.transcript().split("fault off: close after 10 bytes", -1)).hasSize(21);
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
        }
    }

    @Test
    void latencyCountsForEachReadFromWhenItWasReadEvenWhenHeldTogether() throws Exception {
        try (FakeTcpServer upstream = FakeTcpServer.start();
                TcpProxy proxy = TcpProxy.start(upstream.address())) {
            upstream.enqueue(pingPong(2));
            ProxyFault stall = ProxyFault.stall().direction(Direction.TO_UPSTREAM);
            proxy.add(ProxyFault.latency(Duration.ofMillis(300)).direction(Direction.TO_UPSTREAM)).add(stall);
            try (ProxyClient client = ProxyClient.connect(proxy.address(), 150)) {
                client.send("PING\n");
                assertThat(proxy.awaitQuiet()).isTrue(); // the first request is read (and held)
                assertThatThrownBy(client::readLine).isInstanceOf(SocketTimeoutException.class);
                long start = System.nanoTime();
                client.send("PING\n");
                assertThat(proxy.awaitQuiet()).isTrue(); // the second is read, at least 150 ms after the first
                proxy.remove(stall);
                client.socket().setSoTimeout(5_000);
                assertThat(client.readLine()).isEqualTo("PONG");
                assertThat(client.readLine()).isEqualTo("PONG");
                assertThat(millisSince(start)).as("the second request's latency").isGreaterThanOrEqualTo(300);
            }
            assertThat(proxy.awaitQuiet()).isTrue();
            proxy.verify();
            upstream.verify();
        }
    }

    @Test
    void aFractionPicksTheSameConnectionsForTheSameSeed() throws Exception {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (FakeTcpServer upstream = FakeTcpServer.builder().allowUnusedScripts().start();
                    TcpProxy proxy = TcpProxy.start(upstream.address())) {
                upstream.defaultScript(pingPong(1));
                proxy.add(ProxyFault.closeAfter(0).onFraction(0.5, 20261129));
                List<Integer> cut = new ArrayList<>();
                for (int i = 1; i <= 30; i++) {
                    try (ProxyClient client = ProxyClient.connect(proxy)) {
                        client.send("PING\n");
                        if (client.readLine() == null) {
                            cut.add(i);
                        }
                    }
                }
                runs.add(cut);
                proxy.verify();
            }
        }
        assertThat(runs.get(0)).isEqualTo(runs.get(1)).hasSizeBetween(5, 25);
    }

    @Test
    void faultsAreValidatedAtOnce() {
        assertThatThrownBy(() -> ProxyFault.latency(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyFault.bandwidth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyFault.closeAfter(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyFault.stall().onFraction(1.5, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProxyFault.stall().jitter(Duration.ofMillis(1)))
                .isInstanceOf(IllegalStateException.class);
        try (TcpProxy proxy = TcpProxy.builder().start()) {
            proxy.add(ProxyFault.stall());
            assertThatThrownBy(() -> proxy.add(ProxyFault.stall())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("on already");
            assertThatThrownBy(() -> proxy.remove(ProxyFault.resetNow())).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not on");
            assertThat(proxy.faults()).containsExactly(ProxyFault.stall());
        }
    }
}
